/// A stable diagnostic code: a letter (`E` error, `W` warning) and four digits, grouped
/// by stage. Codes are declared once, in `DiagnosticCode+Catalog.swift`, and never renumbered.
public struct DiagnosticCode: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let id: String
  /// What the code means, for `meshc explain` and the README's code table.
  public let summary: String
  /// The severity a finding with this code has unless a policy changes it.
  public let defaultSeverity: Severity

  public init(_ id: String, _ summary: String) {
    self.id = id
    self.summary = summary
    self.defaultSeverity = id.hasPrefix("W") ? .warning : .error
  }

  public static func == (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.id == rhs.id }
  public func hash(into hasher: inout Hasher) { hasher.combine(id) }
  public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.id < rhs.id }
  public var description: String { id }
}
