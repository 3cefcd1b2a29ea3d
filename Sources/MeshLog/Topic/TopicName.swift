/// The naming rules of topics and consumer groups. Both become file names, so they
/// follow Kafka's topic rules: 1 to 249 characters of `A-Z a-z 0-9 . _ -`, and (ours)
/// not starting with `.`, which marks meshc's own temporary and hidden entries. A group's
/// name is at most 200 characters: its file adds `.offsets` and, while it is replaced, a
/// temporary suffix with the process id, and file names end at 255 bytes.
public enum TopicName {
  public static let maxLength = 249
  public static let maxGroupLength = 200

  /// Nil when `name` is valid, else why not.
  public static func problem(with name: String, kind: LogError.NameKind = .topic) -> String? {
    if name.isEmpty { return "a name cannot be empty" }
    let limit = kind == .group ? maxGroupLength : maxLength
    if name.utf8.count > limit { return "expected at most \(limit) characters, found \(name.utf8.count)" }
    if name.hasPrefix(".") { return "a name cannot start with '.'" }
    for scalar in name.unicodeScalars {
      let ok =
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        || scalar == "." || scalar == "_" || scalar == "-"
      if !ok {
        return "'\(scalar.escaped(asASCII: true))' is not allowed (expected letters, digits, '.', '_' or '-')"
      }
    }
    return nil
  }

  static func validate(_ name: String, kind: LogError.NameKind) throws(LogError) {
    if let problem = problem(with: name, kind: kind) { throw .invalidName(kind: kind, name: name, reason: problem) }
  }
}
