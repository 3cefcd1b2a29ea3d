public import MeshDiagnostics

/// A value decoded from a manifest together with the span it came from, so later stages
/// can point their diagnostics at it.
public struct Located<Value: Sendable>: Sendable {
  public var value: Value
  public var range: SourceRange

  public init(_ value: Value, at range: SourceRange) {
    self.value = value
    self.range = range
  }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// An expression as written (`amount >= 0`), kept as text with its exact location until
/// the expression compiler parses it.
public struct ExpressionText: Sendable, Hashable {
  public var text: String
  public var range: SourceRange

  public init(_ text: String, at range: SourceRange) {
    self.text = text
    self.range = range
  }
}
