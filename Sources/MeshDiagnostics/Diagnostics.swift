/// The findings a stage collects. Stages keep going after an error so that one run
/// reports everything; callers decide what to do once the stage returns.
public struct Diagnostics: Sendable, Sequence {
  public private(set) var all: [Diagnostic] = []

  public init() {}

  public init(_ diagnostics: [Diagnostic]) { self.all = diagnostics }

  public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }

  public mutating func append(contentsOf other: some Sequence<Diagnostic>) {
    all.append(contentsOf: other)
  }

  public mutating func error(
    _ code: DiagnosticCode, _ message: String, at range: SourceRange?, help: String? = nil,
    notes: [Diagnostic.Note] = []
  ) {
    all.append(Diagnostic(code, message, at: range, severity: .error, notes: notes, help: help))
  }

  public mutating func warning(
    _ code: DiagnosticCode, _ message: String, at range: SourceRange?, help: String? = nil,
    notes: [Diagnostic.Note] = []
  ) {
    all.append(Diagnostic(code, message, at: range, severity: .warning, notes: notes, help: help))
  }

  public var hasErrors: Bool { all.contains { $0.severity == .error } }
  public var errorCount: Int { all.count { $0.severity == .error } }
  public var warningCount: Int { all.count { $0.severity == .warning } }
  public var isEmpty: Bool { all.isEmpty }

  /// Sorted by file, line, column, code, with exact duplicates removed.
  public func sorted() -> [Diagnostic] {
    var seen = Set<Diagnostic>()
    return all.sorted(by: Diagnostic.isOrderedBefore).filter { seen.insert($0).inserted }
  }

  public func makeIterator() -> IndexingIterator<[Diagnostic]> { all.makeIterator() }
}
