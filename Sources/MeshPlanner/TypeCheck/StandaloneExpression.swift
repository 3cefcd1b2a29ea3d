public import MeshData
public import MeshDiagnostics
import MeshManifest
public import MeshPlan

/// An expression checked outside a manifest, against a schema: for `meshc bench expr`
/// and for tests of the evaluators. Locations are columns of the text (line 1).
public enum StandaloneExpression {
  public enum Kind: Sendable {
    /// A condition, as in `filter:`.
    case condition
    /// A value, as in a `select:` column.
    case value
  }

  /// Why an expression did not check.
  public struct Findings: Error {
    public var diagnostics: Diagnostics

    public var messages: [String] { diagnostics.all.map { "\($0.code.id) \($0.message)" } }
  }

  public static func check(
    _ text: String, against schema: RecordSchema, as kind: Kind, file: String = "<expression>"
  )
    -> Result<BoundExpression, Findings>
  {
    var locations: [SourceLocation] = []
    for (offset, _) in text.unicodeScalars.enumerated() {
      locations.append(SourceLocation(line: 1, column: offset + 1))
    }
    locations.append(SourceLocation(line: 1, column: locations.count + 1))
    let range = SourceRange(
      file: file, start: SourceLocation(line: 1, column: 1), end: locations.last ?? SourceLocation(line: 1, column: 1))
    var diagnostics = Diagnostics()
    let bound = ExpressionChecker.check(
      ExpressionText(text, at: range, locations: locations), against: schema,
      as: kind == .condition ? .filter : .derived,
      source: "the records", into: &diagnostics)
    guard let bound, !diagnostics.hasErrors else { return .failure(Findings(diagnostics: diagnostics)) }
    return .success(bound)
  }
}
