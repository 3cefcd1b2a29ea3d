import MeshDiagnostics

/// The command line as a one-line source file named `<command line>`, so that a
/// diagnostic about an argument points at it with a caret like any other:
///
/// ```
/// <command line>:1:37: error[E0209]: invalid duration '7x': …
///  1 | meshc topics create orders --retention 7x
///    |                                        ^~
/// ```
public struct CommandLineSource: Sendable {
  public static let path = "<command line>"
  public let arguments: [String]
  public let file: SourceFile
  /// Byte offset of each argument in `file`.
  private let starts: [Int]

  /// `arguments` without the program path; the line shows them after `meshc`.
  public init(_ arguments: [String]) {
    self.arguments = arguments
    var text = "meshc"
    var starts: [Int] = []
    for argument in arguments {
      text += " "
      starts.append(text.utf8.count)
      text += argument
    }
    self.starts = starts
    file = SourceFile(path: CommandLineSource.path, text: text)
  }

  /// The range of an option's value (`--name value` or `--name=value`), or nil when the
  /// option is not on the command line.
  public func range(ofOption name: String) -> SourceRange? {
    for (index, argument) in arguments.enumerated() {
      if argument == name, index + 1 < arguments.count { return range(ofArgumentAt: index + 1) }
      if argument.hasPrefix(name + "=") {
        let start = starts[index] + name.utf8.count + 1
        return file.range(fromByte: start, toByte: starts[index] + argument.utf8.count)
      }
    }
    return nil
  }

  /// The range of the option's name itself (for options without a value).
  public func range(ofFlag name: String) -> SourceRange? {
    guard let index = arguments.firstIndex(where: { $0 == name || $0.hasPrefix(name + "=") }) else { return nil }
    return file.range(fromByte: starts[index], toByte: starts[index] + name.utf8.count)
  }

  /// The range of the first positional argument equal to `value` (not an option's value).
  public func range(ofPositional value: String) -> SourceRange? {
    var skipNext = false
    for (index, argument) in arguments.enumerated() {
      if skipNext {
        skipNext = false
        continue
      }
      if argument.hasPrefix("--") {
        skipNext = !argument.contains("=") && !CommandLineSource.flags.contains(argument)
        continue
      }
      if argument == value { return range(ofArgumentAt: index) }
    }
    return nil
  }

  /// Options of the log commands that take no value.
  static let flags: Set<String> = ["--from-beginning", "--follow", "--envelope", "--help", "--version"]

  private func range(ofArgumentAt index: Int) -> SourceRange {
    file.range(fromByte: starts[index], toByte: starts[index] + arguments[index].utf8.count)
  }
}
