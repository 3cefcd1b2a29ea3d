import MeshData

/// Gives a step's records the column types of the port that publishes them: the contract
/// check lets a step produce types that fit the port's schema (an int where the port says
/// long, the literal null where it says a nullable string), and encoders need the port's
/// exact types.
enum PortConformance {
  static func conform(_ batch: RecordBatch, to port: RecordSchema) throws(RunFailure) -> RecordBatch {
    guard batch.schema.fields.map(\.type) != port.fields.map(\.type) else {
      var same = batch
      same.schema = port
      return same
    }
    var columns: [Column] = []
    for (index, field) in port.fields.enumerated() {
      guard let position = batch.schema.index(of: field.name) ?? (index < batch.columns.count ? index : nil) else {
        throw RunFailure("the records have no field \(field.name), which the port's schema has")
      }
      columns.append(try conform(batch.columns[position], to: field.type, rows: batch.rowCount, name: field.name))
    }
    return RecordBatch(schema: port, columns: columns, rowCount: batch.rowCount, selection: batch.selection)
  }

  static func conform(_ column: Column, to type: DataType, rows: Int, name: String) throws(RunFailure) -> Column {
    if column.type == type { return column }
    switch (column.type, column.values, type) {
    case (.null, _, _):
      return nulls(type, rows: rows)
    case (_, .int32(let values), .int64):
      return Column(type: type, values: .int64(values.map { Int64($0) }), validity: column.validity)
    case (_, .int32(let values), .float64):
      return Column(type: type, values: .float64(values.map { Double($0) }), validity: column.validity)
    case (_, .int64(let values), .float64) where !column.type.isTemporal:
      return Column(type: type, values: .float64(values.map { Double($0) }), validity: column.validity)
    case (_, .float32(let values), .float64):
      return Column(type: type, values: .float64(values.map { Double($0) }), validity: column.validity)
    case (.enumeration(_, let symbols), .int32(let values), .string):
      var offsets: [Int32] = [0]
      var bytes: [UInt8] = []
      for value in values {
        if symbols.indices.contains(Int(value)) { bytes += symbols[Int(value)].utf8 }
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
      }
      return Column(type: type, values: .binary(offsets: offsets, bytes: bytes), validity: column.validity)
    case (_, _, _) where column.type.physical == type.physical && column.type.physical != .record:
      return Column(type: type, values: column.values, validity: column.validity)
    default:
      throw RunFailure("field \(name) is \(column.type), which the port's \(type) cannot hold")
    }
  }

  /// A column of `type` where every row is null.
  static func nulls(_ type: DataType, rows: Int) -> Column {
    let values: ColumnValues =
      switch type.physical {
      case .boolean: .boolean(Array(repeating: false, count: rows))
      case .int32: .int32(Array(repeating: 0, count: rows))
      case .int64: .int64(Array(repeating: 0, count: rows))
      case .float32: .float32(Array(repeating: 0, count: rows))
      case .float64: .float64(Array(repeating: 0, count: rows))
      case .binary:
        if case .fixed(let size) = type {
          .binary(offsets: (0...rows).map { Int32($0 * size) }, bytes: Array(repeating: 0, count: rows * size))
        } else {
          .binary(offsets: Array(repeating: 0, count: rows + 1), bytes: [])
        }
      case .record:
        if case .record(let record) = type {
          .record(fields: record.fields.map { nulls($0.type, rows: rows).withAllNull(rows) }, count: rows)
        } else {
          .record(fields: [], count: rows)
        }
      case .list:
        if case .array(let element, _) = type {
          .list(offsets: Array(repeating: 0, count: rows + 1), element: nulls(element, rows: 0))
        } else {
          .list(offsets: Array(repeating: 0, count: rows + 1), element: nulls(.int32, rows: 0))
        }
      case .map:
        if case .map(let value, _) = type {
          .map(
            offsets: Array(repeating: 0, count: rows + 1), keys: nulls(.string, rows: 0), values: nulls(value, rows: 0))
        } else {
          .map(
            offsets: Array(repeating: 0, count: rows + 1), keys: nulls(.string, rows: 0), values: nulls(.int32, rows: 0)
          )
        }
      }
    return Column(type: type, values: values, validity: Bitmap(repeating: false, count: rows))
  }
}

extension Column {
  fileprivate func withAllNull(_ rows: Int) -> Column {
    var copy = self
    copy.validity = Bitmap(repeating: false, count: rows)
    return copy
  }
}
