import MeshData

/// How the records' columns are written: the Parquet schema meshc gives each column
/// type (the standard three-level lists and maps), and the leaves in write order.
indirect enum WriteNode: Sendable {
  case leaf(leaf: Int, type: DataType, nullable: Bool)
  case record(fields: [WriteNode], nullable: Bool)
  case list(element: WriteNode, nullable: Bool)
  case map(key: WriteNode, value: WriteNode, nullable: Bool)

  var nullable: Bool {
    switch self {
    case .leaf(_, _, let nullable), .record(_, let nullable), .list(_, let nullable), .map(_, _, let nullable):
      nullable
    }
  }
}

/// The Parquet schema of a record schema, and the write plan of each top-level field.
struct ParquetWriteSchema {
  private(set) var elements: [SchemaElement] = []
  private(set) var fields: [WriteNode] = []
  private(set) var leafTypes: [(type: DataType, element: SchemaElement, path: [String])] = []

  init(_ records: RecordSchema) {
    elements.append(SchemaElement(name: "schema", childCount: records.fields.count))
    for field in records.fields { fields.append(node(field.name, field.type, nullable: field.nullable, path: [])) }
  }

  private mutating func node(_ name: String, _ type: DataType, nullable: Bool, path: [String]) -> WriteNode {
    let path = path + [name]
    // A null-typed field stores only nulls, so it must be optional whatever its schema says.
    let nullable = nullable || type == .null
    let repetition: Repetition = nullable ? .optional : .required
    switch type {
    case .record(let record):
      elements.append(SchemaElement(name: name, repetition: repetition, childCount: record.fields.count))
      var children: [WriteNode] = []
      for field in record.fields { children.append(node(field.name, field.type, nullable: field.nullable, path: path)) }
      return .record(fields: children, nullable: nullable)
    case .array(let element, let elementNullable):
      elements.append(
        SchemaElement(name: name, repetition: repetition, childCount: 1, convertedType: .list, logicalType: .list))
      elements.append(SchemaElement(name: "list", repetition: .repeated, childCount: 1))
      let child = node("element", element, nullable: elementNullable, path: path + ["list"])
      return .list(element: child, nullable: nullable)
    case .map(let value, let valueNullable):
      elements.append(
        SchemaElement(name: name, repetition: repetition, childCount: 1, convertedType: .map, logicalType: .map))
      elements.append(SchemaElement(name: "key_value", repetition: .repeated, childCount: 2))
      let key = node("key", .string, nullable: false, path: path + ["key_value"])
      let valueNode = node("value", value, nullable: valueNullable, path: path + ["key_value"])
      return .map(key: key, value: valueNode, nullable: nullable)
    default:
      var element = Self.leafElement(type)
      element.name = name
      element.repetition = repetition
      elements.append(element)
      leafTypes.append((type, element, path))
      return .leaf(leaf: leafTypes.count - 1, type: type, nullable: nullable)
    }
  }

  /// The physical type and annotations of a column type stored as a leaf.
  static func leafElement(_ type: DataType) -> SchemaElement {
    switch type {
    case .null: SchemaElement(name: "", type: .int32, logicalType: .null)
    case .boolean: SchemaElement(name: "", type: .boolean)
    case .int32: SchemaElement(name: "", type: .int32)
    case .int64, .duration: SchemaElement(name: "", type: .int64)
    case .float32: SchemaElement(name: "", type: .float)
    case .float64: SchemaElement(name: "", type: .double)
    case .decimal(let precision, let scale):
      SchemaElement(
        name: "", type: precision <= 9 ? .int32 : .int64, convertedType: .decimal, scale: scale, precision: precision,
        logicalType: .decimal(scale: scale, precision: precision))
    case .string: SchemaElement(name: "", type: .byteArray, convertedType: .utf8, logicalType: .string)
    case .bytes, .opaque: SchemaElement(name: "", type: .byteArray)
    case .fixed(let size): SchemaElement(name: "", type: .fixedLenByteArray, typeLength: size)
    case .uuid: SchemaElement(name: "", type: .fixedLenByteArray, typeLength: 16, logicalType: .uuid)
    case .enumeration: SchemaElement(name: "", type: .byteArray, convertedType: .enumeration, logicalType: .enumeration)
    case .date: SchemaElement(name: "", type: .int32, convertedType: .date, logicalType: .date)
    case .time(let unit):
      switch unit {
      case .millis:
        SchemaElement(name: "", type: .int32, convertedType: .timeMillis, logicalType: .time(utc: false, unit: .millis))
      case .micros:
        SchemaElement(name: "", type: .int64, convertedType: .timeMicros, logicalType: .time(utc: false, unit: .micros))
      case .nanos: SchemaElement(name: "", type: .int64, logicalType: .time(utc: false, unit: .nanos))
      }
    case .timestamp(let unit, let utc):
      switch unit {
      case .millis:
        SchemaElement(
          name: "", type: .int64, convertedType: utc ? .timestampMillis : nil,
          logicalType: .timestamp(utc: utc, unit: .millis))
      case .micros:
        SchemaElement(
          name: "", type: .int64, convertedType: utc ? .timestampMicros : nil,
          logicalType: .timestamp(utc: utc, unit: .micros))
      case .nanos: SchemaElement(name: "", type: .int64, logicalType: .timestamp(utc: utc, unit: .nanos))
      }
    case .record, .array, .map: SchemaElement(name: "")
    }
  }
}
