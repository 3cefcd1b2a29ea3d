public import MeshDiagnostics

/// One reason a reader schema cannot read data written with a writer schema.
public struct Incompatibility: Sendable {
  /// The stable rule broken, e.g. `fieldWithoutDefault`.
  public var code: DiagnosticCode
  /// Where in the schema: `Order.items[].price`.
  public var path: String
  public var message: String
  /// How to fix it ("give the new field 'channel' a default").
  public var help: String?
  public var readerRange: SourceRange?
  public var writerRange: SourceRange?
  /// Where the problem is in the schema being checked (the new one), when known.
  public var newSchemaRange: SourceRange?
  /// Which of the earlier versions given to `CompatibilityChecker.check` it breaks
  /// with (an index into them; the newest such version when several are broken alike).
  public var earlierIndex: Int?
}
