/// The naming rules of topics and consumer groups. Both become file names, so they
/// follow Kafka's topic rules: 1 to 249 characters of `A-Z a-z 0-9 . _ -`, and (ours)
/// not starting with `.`, which marks meshc's own temporary and hidden entries.
public enum TopicName {
  public static let maxLength = 249

  /// Nil when `name` is valid, else why not.
  public static func problem(with name: String) -> String? {
    if name.isEmpty { return "a name cannot be empty" }
    if name.utf8.count > maxLength { return "expected at most \(maxLength) characters, found \(name.utf8.count)" }
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
    if let problem = problem(with: name) { throw .invalidName(kind: kind, name: name, reason: problem) }
  }
}
