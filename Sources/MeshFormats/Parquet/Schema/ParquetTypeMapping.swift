import MeshData

/// What the columns of a Parquet file are as meshc's column types, read from the
/// Parquet schema's annotations (LogicalTypes.md), legacy list and map layouts included.
struct ParquetTypeMapping {
  let schema: ParquetSchema

  /// The record schema of the whole file and how each top-level field is read.
  func records() throws(FormatError) -> (RecordSchema, [ReadNode]) {
    var fields: [DataField] = []
    var reads: [ReadNode] = []
    for child in schema.root.children {
      let (field, read) = try field(child, path: [])
      fields.append(field)
      reads.append(read)
    }
    return (RecordSchema(name: schema.root.name.isEmpty ? "schema" : schema.root.name, fields: fields), reads)
  }

  func field(_ node: ParquetSchema.Node, path: [String]) throws(FormatError) -> (DataField, ReadNode) {
    let path = path + [node.name]
    if node.repetition == .repeated {
      // A repeated field outside a LIST group is a required list of required elements.
      let (type, read) = try value(node, path: path)
      let list = DataType.array(element: type, elementNullable: false)
      return (
        DataField(name: node.name, type: list, nullable: false),
        .list(node: node.id, repeated: node.id, type: list, element: read)
      )
    }
    let (type, read) = try value(node, path: path)
    let nullable = node.repetition == .optional || type == .null
    return (DataField(name: node.name, type: type, nullable: nullable), read)
  }

  /// The node's type, whatever its own repetition.
  func value(_ node: ParquetSchema.Node, path: [String]) throws(FormatError) -> (DataType, ReadNode) {
    if node.isLeaf { return try leaf(node, path: path) }
    let element = node.element
    if element.logicalType == .list || element.convertedType == .list, let list = try list(node, path: path) {
      return list
    }
    if element.logicalType == .map || element.convertedType == .map || element.convertedType == .mapKeyValue,
      let map = try map(node, path: path)
    {
      return map
    }
    var fields: [DataField] = []
    var reads: [ReadNode] = []
    for child in node.children {
      let (field, read) = try field(child, path: path)
      fields.append(field)
      reads.append(read)
    }
    let type = DataType.record(RecordSchema(name: path.joined(separator: "_"), fields: fields))
    return (type, .record(node: node.id, type: type, fields: reads))
  }

  /// LogicalTypes.md's rules: the repeated child is the element unless it is a group of
  /// one field that is not named `array` or `<list>_tuple` (the two-level layouts).
  private func list(_ node: ParquetSchema.Node, path: [String]) throws(FormatError) -> (DataType, ReadNode)? {
    guard node.children.count == 1, let repeated = node.children.first, repeated.repetition == .repeated else {
      return nil
    }
    if !repeated.isLeaf, repeated.children.count == 1, let element = repeated.children.first,
      repeated.name != "array", repeated.name != "\(node.name)_tuple"
    {
      let (field, read) = try field(element, path: path)
      let type = DataType.array(element: field.type, elementNullable: field.nullable)
      return (type, .list(node: node.id, repeated: repeated.id, type: type, element: read))
    }
    let (elementType, read) = try value(repeated, path: path + [repeated.name])
    let type = DataType.array(element: elementType, elementNullable: false)
    return (type, .list(node: node.id, repeated: repeated.id, type: type, element: read))
  }

  /// A repeated group of a key and a value. String keys make a map; other keys a list of
  /// key-value records, since meshc's maps (as Avro's) are keyed by strings.
  private func map(_ node: ParquetSchema.Node, path: [String]) throws(FormatError) -> (DataType, ReadNode)? {
    guard node.children.count == 1, let entries = node.children.first, entries.repetition == .repeated,
      !entries.isLeaf, let keyNode = entries.children.first, keyNode.isLeaf, entries.children.count <= 2
    else { return nil }
    let entryPath = path + [entries.name]
    let (keyType, keyRead) = try value(keyNode, path: entryPath + [keyNode.name])
    guard entries.children.count == 2 else {
      // A map without values (map_no_value.parquet) is the list of its keys.
      let type = DataType.array(element: keyType, elementNullable: false)
      return (type, .list(node: node.id, repeated: entries.id, type: type, element: keyRead))
    }
    let (valueField, valueRead) = try field(entries.children[1], path: entryPath)
    if keyType == .string {
      let type = DataType.map(value: valueField.type, valueNullable: valueField.nullable)
      return (type, .map(node: node.id, repeated: entries.id, type: type, key: keyRead, value: valueRead))
    }
    let entry = DataType.record(
      RecordSchema(
        name: entryPath.joined(separator: "_"),
        fields: [DataField(name: keyNode.name, type: keyType, nullable: false), valueField]))
    let type = DataType.array(element: entry, elementNullable: false)
    let entryRead = ReadNode.record(node: entries.id, type: entry, fields: [keyRead, valueRead])
    return (type, .list(node: node.id, repeated: entries.id, type: type, element: entryRead))
  }

  private func leaf(_ node: ParquetSchema.Node, path: [String]) throws(FormatError) -> (DataType, ReadNode) {
    guard let leafIndex = schema.leaves.firstIndex(where: { $0.nodes.last == node.id }) else {
      throw FormatError("column \(path.joined(separator: ".")) is not a leaf of the schema")
    }
    let (type, conversion) = try Self.leafType(node.element, column: path.joined(separator: "."))
    return (type, .leaf(node: node.id, leaf: leafIndex, type: type, conversion: conversion))
  }

  static func leafType(_ element: SchemaElement, column: String) throws(FormatError) -> (DataType, LeafConversion) {
    guard let physical = element.type else { throw FormatError("column \(column) has no physical type") }
    let logical = element.logicalType ?? legacyLogicalType(element)
    if logical == .null { return (.null, .null) }
    if case .decimal(let scale, let precision) = logical {
      let most = physical == .int32 ? 9 : 18
      guard precision >= 1, scale >= 0, scale <= precision else {
        throw FormatError(
          "column \(column) is a decimal of precision \(precision) and scale \(scale), which is not valid")
      }
      guard precision <= most else {
        throw FormatError(
          "column \(column) is a decimal of precision \(precision); meshc's decimals hold \(most) digits at most in \(physical.name)"
        )
      }
    }
    switch (physical, logical) {
    case (.boolean, _): return (.boolean, .direct)
    case (.int32, .date): return (.date, .direct)
    case (.int32, .decimal(let scale, let precision)): return (.decimal(precision: precision, scale: scale), .widen)
    case (.int32, .time(_, .millis)): return (.time(.millis), .widen)
    case (.int32, .integer(32, false)): return (.int64, .unsigned32)
    case (.int32, _): return (.int32, .direct)
    case (.int64, .timestamp(let utc, let unit)): return (.timestamp(unit.columnUnit, utc: utc), .direct)
    case (.int64, .time(_, let unit)): return (.time(unit.columnUnit), .direct)
    case (.int64, .decimal(let scale, let precision)): return (.decimal(precision: precision, scale: scale), .direct)
    case (.int64, .integer(64, false)): return (.int64, .unsigned64)
    case (.int64, _): return (.int64, .direct)
    case (.int96, _): return (.timestamp(.nanos, utc: true), .direct)
    case (.float, _): return (.float32, .direct)
    case (.double, _): return (.float64, .direct)
    case (.byteArray, .decimal(let scale, let precision)), (.fixedLenByteArray, .decimal(let scale, let precision)):
      return (.decimal(precision: precision, scale: scale), .decimalBytes)
    case (.byteArray, .string), (.byteArray, .enumeration), (.byteArray, .json): return (.string, .direct)
    case (.byteArray, _): return (.bytes, .direct)
    case (.fixedLenByteArray, .uuid) where element.typeLength == 16: return (.uuid, .uuidBytes)
    case (.fixedLenByteArray, .float16) where element.typeLength == 2: return (.float32, .float16)
    case (.fixedLenByteArray, _):
      guard let size = element.typeLength, size > 0 else {
        throw FormatError("column \(column) is a FIXED_LEN_BYTE_ARRAY without a valid length")
      }
      return (.fixed(size: size), .direct)
    }
  }

  /// The logical type that a converted type alone stands for (files from before 2.4).
  static func legacyLogicalType(_ element: SchemaElement) -> ParquetLogicalType? {
    switch element.convertedType {
    case .utf8: .string
    case .enumeration: .enumeration
    case .json: .json
    case .bson: .bson
    case .decimal: .decimal(scale: element.scale ?? 0, precision: element.precision ?? 18)
    case .date: .date
    case .timeMillis: .time(utc: true, unit: .millis)
    case .timeMicros: .time(utc: true, unit: .micros)
    case .timestampMillis: .timestamp(utc: true, unit: .millis)
    case .timestampMicros: .timestamp(utc: true, unit: .micros)
    case .uint8: .integer(bitWidth: 8, signed: false)
    case .uint16: .integer(bitWidth: 16, signed: false)
    case .uint32: .integer(bitWidth: 32, signed: false)
    case .uint64: .integer(bitWidth: 64, signed: false)
    case .int8: .integer(bitWidth: 8, signed: true)
    case .int16: .integer(bitWidth: 16, signed: true)
    case .int32: .integer(bitWidth: 32, signed: true)
    case .int64: .integer(bitWidth: 64, signed: true)
    case .list: .list
    case .map, .mapKeyValue: .map
    case .interval, nil: nil
    }
  }
}

extension ParquetLogicalType.TimeUnit {
  var columnUnit: DataType.TimeUnit {
    switch self {
    case .millis: .millis
    case .micros: .micros
    case .nanos: .nanos
    }
  }
}
