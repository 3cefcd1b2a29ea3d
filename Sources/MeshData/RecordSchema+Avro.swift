public import MeshSchema

extension RecordSchema {
  /// The columns of a record schema: `[null, T]` and `[T, null]` become a nullable `T`,
  /// logical types keep their unit, and what columns cannot hold (unions of several
  /// non-null types, records that contain themselves) is kept opaque. Nil when the
  /// schema's root is not a record.
  public init?(avro schema: Schema) {
    guard case .named(let name) = schema.root, case .record(let record) = schema.definition(name) else {
      return nil
    }
    var converter = AvroTypeConverter(schema: schema)
    self = converter.recordSchema(record)
  }
}

/// Turns Avro types into column types; remembers the records it is inside so that a
/// recursive record ends in an opaque column instead of an endless type.
struct AvroTypeConverter {
  let schema: Schema
  private var enclosing: [String] = []

  init(schema: Schema) { self.schema = schema }

  mutating func recordSchema(_ record: RecordType) -> RecordSchema {
    enclosing.append(record.fullName)
    defer { enclosing.removeLast() }
    let fields = record.fields.map { field in
      let (type, nullable) = column(field.type)
      return DataField(name: field.name, type: type, nullable: nullable, pii: field.pii, doc: field.doc)
    }
    return RecordSchema(name: record.fullName, fields: fields)
  }

  /// The column type and whether it takes nulls.
  mutating func column(_ type: AvroType) -> (DataType, Bool) {
    switch type {
    case .union(let branches):
      let others = branches.filter { $0 != .plain(.null) }
      if others.count == 1, let only = others.first, branches.count <= 2 {
        let (inner, _) = column(only)
        return (inner, branches.count == 2)
      }
      return (.opaque(type), false)
    default:
      return (dataType(type), false)
    }
  }

  mutating func dataType(_ type: AvroType) -> DataType {
    switch type {
    case .primitive(let primitive, let logical):
      return primitiveType(primitive, logical)
    case .array(let items):
      let (element, nullable) = column(items)
      return .array(element: element, elementNullable: nullable)
    case .map(let values):
      let (value, nullable) = column(values)
      return .map(value: value, valueNullable: nullable)
    case .union:
      return .opaque(type)
    case .named(let name):
      switch schema.definition(name) {
      case .record(let record):
        if enclosing.contains(record.fullName) { return .opaque(type) }
        return .record(recordSchema(record))
      case .enumeration(let enumeration):
        return .enumeration(name: enumeration.fullName, symbols: enumeration.symbols)
      case .fixed(let fixed):
        switch fixed.logical {
        case .decimal(let precision, let scale) where precision <= 18:
          return .decimal(precision: precision, scale: scale)
        default: return .fixed(size: fixed.size)
        }
      case nil:
        return .opaque(type)
      }
    }
  }

  private func primitiveType(_ primitive: Primitive, _ logical: LogicalType?) -> DataType {
    switch (primitive, logical) {
    case (.int, .date): .date
    case (.int, .timeMillis): .time(.millis)
    case (.long, .timeMicros): .time(.micros)
    case (.long, .timestampMillis): .timestamp(.millis, utc: true)
    case (.long, .timestampMicros): .timestamp(.micros, utc: true)
    case (.long, .timestampNanos): .timestamp(.nanos, utc: true)
    case (.long, .localTimestampMillis): .timestamp(.millis, utc: false)
    case (.long, .localTimestampMicros): .timestamp(.micros, utc: false)
    case (.long, .localTimestampNanos): .timestamp(.nanos, utc: false)
    case (.string, .uuid): .uuid
    case (.bytes, .decimal(let precision, let scale)) where precision <= 18:
      .decimal(precision: precision, scale: scale)
    case (.null, _): .null
    case (.boolean, _): .boolean
    case (.int, _): .int32
    case (.long, _): .int64
    case (.float, _): .float32
    case (.double, _): .float64
    case (.bytes, _): .bytes
    case (.string, _): .string
    }
  }
}
