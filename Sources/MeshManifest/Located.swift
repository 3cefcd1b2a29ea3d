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
  /// Where each Unicode scalar of `text` was written, and one location past the end:
  /// escapes, quotes and folded lines make the two differ. Empty when unknown.
  public var locations: [SourceLocation]

  public init(_ text: String, at range: SourceRange, locations: [SourceLocation] = []) {
    self.text = text
    self.range = range
    self.locations = locations
  }

  /// The source range of the scalars `scalars` of the text (offsets in Unicode scalars).
  public func range(ofScalars scalars: Range<Int>) -> SourceRange {
    guard let last = locations.indices.last else { return range }
    let start = locations[min(max(0, scalars.lowerBound), last)]
    let end = locations[min(max(0, scalars.upperBound), last)]
    return SourceRange(file: range.file, start: start, end: max(start, end))
  }
}
