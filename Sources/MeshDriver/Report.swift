public import MeshDiagnostics

/// What a command returns to the CLI: its findings, the files they point into, a
/// human summary and extra JSON fields. The CLI only renders it.
public struct Report: Sendable {
  public var diagnostics: Diagnostics
  public var sources: SourceFiles
  /// Printed on standard output in text form (e.g. "validated 5 products in 3 domains").
  public var summary: String
  /// Extra top-level fields of the JSON form, as key and raw JSON text.
  public var jsonFields: [(String, String)]
  /// 2 marks a usage or internal failure; otherwise errors give 1.
  public var usageFailure: Bool

  public init(
    diagnostics: Diagnostics = Diagnostics(), sources: SourceFiles = SourceFiles(), summary: String = "",
    jsonFields: [(String, String)] = [], usageFailure: Bool = false
  ) {
    self.diagnostics = diagnostics
    self.sources = sources
    self.summary = summary
    self.jsonFields = jsonFields
    self.usageFailure = usageFailure
  }

  /// The CLI contract: 0 no errors, 1 errors found, 2 usage or internal failure.
  public var exitStatus: Int {
    if usageFailure { return 2 }
    return diagnostics.hasErrors ? 1 : 0
  }
}
