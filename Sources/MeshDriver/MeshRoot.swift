import Foundation

/// The directory that holds `mesh.yaml`, found as git finds `.git`: walking up from a
/// starting directory. Relative paths in manifests resolve against it, never the cwd.
public struct MeshRoot: Sendable {
  public static let configName = "mesh.yaml"

  public let directory: URL
  /// `mesh.yaml`, or nil when none was found and the current directory stands in.
  public let configFile: URL?

  /// The root above `start` (a file or directory), else `fallback` (the cwd).
  public static func find(from start: URL, fallback: URL) -> MeshRoot {
    var isDirectory: ObjCBool = false
    var directory = start.standardizedFileURL
    if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
      directory = directory.deletingLastPathComponent()
    }
    while true {
      let candidate = directory.appendingPathComponent(configName)
      if FileManager.default.fileExists(atPath: candidate.path) {
        return MeshRoot(directory: directory, configFile: candidate)
      }
      let parent = directory.deletingLastPathComponent()
      if parent.path == directory.path { break }
      directory = parent
    }
    return MeshRoot(directory: fallback.standardizedFileURL, configFile: nil)
  }

  /// The path of `url` relative to the root ("" for the root itself), or nil when it is
  /// outside the mesh.
  func meshPath(of url: URL) -> String? {
    let base = directory.standardizedFileURL.path
    let full = url.standardizedFileURL.path
    if full == base { return "" }
    let prefix = base.hasSuffix("/") ? base : base + "/"
    guard full.hasPrefix(prefix) else { return nil }
    return String(full.dropFirst(prefix.count))
  }

  /// A path written in a manifest, resolved against the root.
  public func resolve(_ relativePath: String) -> URL {
    directory.appendingPathComponent(relativePath).standardizedFileURL
  }
}

/// Paths as users should see them: relative to the current directory when under it.
struct DisplayPath {
  let base: String

  init(currentDirectory: URL) {
    base = currentDirectory.standardizedFileURL.path
  }

  func callAsFunction(_ url: URL) -> String {
    let path = url.standardizedFileURL.path
    if path.hasPrefix(base + "/") { return String(path.dropFirst(base.count + 1)) }
    return path
  }
}
