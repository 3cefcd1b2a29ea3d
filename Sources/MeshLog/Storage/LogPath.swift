/// Path arithmetic on plain strings: the log names files by joining components with `/`
/// and never needs Foundation's URL machinery.
public enum LogPath {
  public static func join(_ parts: String...) -> String {
    var result = ""
    for part in parts where !part.isEmpty {
      if result.isEmpty || result.hasSuffix("/") {
        result += part
      } else {
        result += "/" + part
      }
    }
    return result
  }

  public static func join(_ base: String, _ name: String) -> String {
    if base.isEmpty { return name }
    return base.hasSuffix("/") ? base + name : base + "/" + name
  }

  /// The directory part of a path (`.` when there is none).
  public static func parent(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    if slash == trimmed.startIndex { return "/" }
    return String(trimmed[..<slash])
  }

  /// The last component of a path.
  public static func name(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
    return String(trimmed[trimmed.index(after: slash)...])
  }
}
