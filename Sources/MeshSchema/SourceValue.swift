public import MeshDiagnostics

/// A JSON-shaped value with the span it was written at: what schema files (`.avsc`) and
/// inline YAML schemas are both read into, so one parser checks both and points at
/// either.
public struct SourceValue: Sendable {
  public struct Member: Sendable {
    public var key: String
    public var keyRange: SourceRange
    public var value: SourceValue
  }

  public enum Content: Sendable {
    case null
    case bool(Bool)
    /// The number as written, so integers beyond 2^53 keep their digits.
    case number(String)
    case string(String)
    case array([SourceValue])
    case object([Member])
  }

  public var content: Content
  public var range: SourceRange

  public init(_ content: Content, at range: SourceRange) {
    self.content = content
    self.range = range
  }

  public var string: String? {
    if case .string(let text) = content { return text }
    return nil
  }

  public var members: [Member]? {
    if case .object(let members) = content { return members }
    return nil
  }

  public var items: [SourceValue]? {
    if case .array(let items) = content { return items }
    return nil
  }

  public subscript(key: String) -> SourceValue? {
    members?.first { $0.key == key }?.value
  }

  /// The value as an integer when it is a JSON number without fraction or exponent.
  public var integer: Int64? {
    if case .number(let text) = content { return Int64(text) }
    return nil
  }

  public var number: Double? {
    if case .number(let text) = content { return Double(text) }
    return nil
  }

  var kindDescription: String {
    switch content {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}
