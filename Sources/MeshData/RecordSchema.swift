/// The fields of a record in flight, in order. Positions are what plans refer to: a
/// column is found by index, never by name, once planned.
public struct RecordSchema: Hashable, Sendable {
  public var name: String
  public var fields: [DataField]

  public init(name: String, fields: [DataField]) {
    self.name = name
    self.fields = fields
  }

  public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

  public func field(named name: String) -> DataField? { fields.first { $0.name == name } }
}

public struct DataField: Hashable, Sendable {
  public var name: String
  public var type: DataType
  public var nullable: Bool
  /// Marked `pii: true` in its schema.
  public var pii: Bool
  public var doc: String?

  public init(name: String, type: DataType, nullable: Bool, pii: Bool = false, doc: String? = nil) {
    self.name = name
    self.type = type
    self.nullable = nullable
    self.pii = pii
    self.doc = doc
  }
}
