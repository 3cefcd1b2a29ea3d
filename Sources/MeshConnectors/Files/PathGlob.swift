public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A file input's path pattern, relative to the mesh root: `*` and `?` and `[…]` within a
/// path segment (fnmatch's rules, where `*` does not cross a `/` and a leading `.` must be
/// matched explicitly), and `**` for any number of directories.
public struct PathGlob: Sendable, Hashable, CustomStringConvertible {
  public let pattern: String
  private let segments: [String]

  public init(_ pattern: String) {
    self.pattern = pattern
    segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
  }

  public var description: String { pattern }

  /// The leading segments without wildcards: the directory to list.
  public var baseDirectory: String {
    let fixed = segments.prefix { !Self.hasWildcard($0) }
    let directory = fixed.count == segments.count ? fixed.dropLast() : fixed[...]
    return (pattern.hasPrefix("/") ? "/" : "") + directory.joined(separator: "/")
  }

  /// The regular files under `root` that match, relative to it, sorted.
  public func files(under root: URL) -> [String] {
    let base = root.appendingPathComponent(baseDirectory)
    guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
    else { return [] }
    var paths: [String] = []
    let prefix = baseDirectory.isEmpty ? "" : baseDirectory + "/"
    for case let url as URL in enumerator {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
      let relative = prefix + url.path.dropFirst(base.path.count).drop { $0 == "/" }
      if matches(relative) { paths.append(relative) }
    }
    return paths.sorted()
  }

  /// Whether `path` (relative like the pattern, `/`-separated) matches.
  public func matches(_ path: String) -> Bool {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    return Self.match(segments[...], parts[...])
  }

  private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
    guard let first = pattern.first else { return path.isEmpty }
    if first == "**" {
      // Zero or more whole directories; hidden ones are not entered.
      var rest = path[...]
      while true {
        if match(pattern.dropFirst(), rest) { return true }
        guard let next = rest.first, !next.hasPrefix(".") else { return false }
        rest = rest.dropFirst()
      }
    }
    guard let part = path.first, fnmatch(first, part, FNM_PERIOD) == 0 else { return false }
    return match(pattern.dropFirst(), path.dropFirst())
  }

  static func hasWildcard(_ segment: String) -> Bool { segment.contains { "*?[".contains($0) } }
}
