/// One finding of any stage. Stages return these; only the renderers print them.
public struct Diagnostic: Hashable, Sendable {
  public struct Note: Hashable, Sendable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange? = nil) {
      self.message = message
      self.range = range
    }
  }

  public var severity: Severity
  public var code: DiagnosticCode
  /// Lowercase, no trailing period, identifiers quoted; says what was expected and found.
  public var message: String
  /// Nil only for findings about no file at all (e.g. an empty mesh).
  public var range: SourceRange?
  public var notes: [Note]
  /// A suggestion that helps fix the problem ("did you mean 'status'?").
  public var help: String?

  public init(
    _ code: DiagnosticCode,
    _ message: String,
    at range: SourceRange?,
    severity: Severity? = nil,
    notes: [Note] = [],
    help: String? = nil
  ) {
    self.severity = severity ?? code.defaultSeverity
    self.code = code
    self.message = message
    self.range = range
    self.notes = notes
    self.help = help
  }

  /// The order of output: by file, line, column, then code.
  public static func isOrderedBefore(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
    let left = (lhs.range?.file ?? "", lhs.range?.start.line ?? 0, lhs.range?.start.column ?? 0)
    let right = (rhs.range?.file ?? "", rhs.range?.start.line ?? 0, rhs.range?.start.column ?? 0)
    if left != right { return left < right }
    if lhs.code != rhs.code { return lhs.code < rhs.code }
    return lhs.message < rhs.message
  }
}
