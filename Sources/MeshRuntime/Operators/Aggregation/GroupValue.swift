import MeshData

/// One value of a group field or a measure, enough to rebuild its column: what
/// aggregates keep in their (checkpointed) state.
enum GroupValue: Codable, Hashable {
  case null
  case integer(Int64)
  case real(Double)
  case boolean(Bool)
  case bytes([UInt8])

  init(_ column: Column, _ row: Int) {
    if column.isNull(row) {
      self = .null
      return
    }
    switch column.values {
    case .boolean(let values): self = .boolean(values[row])
    case .int32(let values): self = .integer(Int64(values[row]))
    case .int64(let values): self = .integer(values[row])
    case .float32(let values): self = .real(Double(values[row]))
    case .float64(let values): self = .real(values[row])
    case .binary: self = .bytes(Array(column.binary(row)))
    default: self = .null
    }
  }

  /// The order of min and max: numbers by value (integers exactly), bytes (strings) in
  /// byte order, false before true.
  func precedes(_ other: GroupValue) -> Bool {
    switch (self, other) {
    case (.integer(let a), .integer(let b)): a < b
    case (.integer(let a), .real(let b)): Double(a) < b
    case (.real(let a), .integer(let b)): a < Double(b)
    case (.real(let a), .real(let b)): a < b
    case (.bytes(let a), .bytes(let b)): a.lexicographicallyPrecedes(b)
    case (.boolean(let a), .boolean(let b)): !a && b
    default: false
    }
  }

  /// Appends the value to a group's key bytes, so that equal groups have equal keys.
  func append(to key: inout [UInt8]) {
    switch self {
    case .null: key.append(0)
    case .integer(let number): Self.append(1, number.bigEndian, to: &key)
    case .real(let number): Self.append(2, number.bitPattern.bigEndian, to: &key)
    case .boolean(let flag): key += [3, flag ? 1 : 0]
    case .bytes(let bytes):
      Self.append(4, UInt32(truncatingIfNeeded: bytes.count).bigEndian, to: &key)
      key.append(contentsOf: bytes)
    }
  }

  /// The key bytes `GroupValue(column, row).append(to:)` would append, without making
  /// the value: what a window aggregate does per record.
  static func appendKey(of column: Column, _ row: Int, to key: inout [UInt8]) {
    if column.isNull(row) {
      key.append(0)
      return
    }
    switch column.values {
    case .boolean(let values): key += [3, values[row] ? 1 : 0]
    case .int32(let values): append(1, Int64(values[row]).bigEndian, to: &key)
    case .int64(let values): append(1, values[row].bigEndian, to: &key)
    case .float32(let values): append(2, Double(values[row]).bitPattern.bigEndian, to: &key)
    case .float64(let values): append(2, values[row].bitPattern.bigEndian, to: &key)
    case .binary:
      let bytes = column.binary(row)
      append(4, UInt32(truncatingIfNeeded: bytes.count).bigEndian, to: &key)
      key.append(contentsOf: bytes)
    default: key.append(0)
    }
  }

  private static func append<T: FixedWidthInteger>(_ tag: UInt8, _ bits: T, to key: inout [UInt8]) {
    key.append(tag)
    withUnsafeBytes(of: bits) { key.append(contentsOf: $0) }
  }

  /// A column of `type` holding `values`; timestamps given in milliseconds (window
  /// bounds) are scaled to the column's unit when `unitsPerMillisecond` says so.
  static func column(_ values: [GroupValue], type: DataType, unitsPerMillisecond: Int64 = 1) -> Column {
    var validity = Bitmap()
    for value in values { validity.append(value != .null) }
    let nulls = validity.nullCount > 0 ? validity : nil
    func integer(_ value: GroupValue) -> Int64 {
      switch value {
      case .integer(let number): number
      case .real(let number): Int64(number)
      default: 0
      }
    }
    let columnValues: ColumnValues
    switch type.physical {
    case .boolean: columnValues = .boolean(values.map { if case .boolean(let flag) = $0 { flag } else { false } })
    case .int32: columnValues = .int32(values.map { Int32(truncatingIfNeeded: integer($0)) })
    case .int64: columnValues = .int64(values.map { integer($0) &* unitsPerMillisecond })
    case .float32:
      columnValues = .float32(
        values.map { if case .real(let number) = $0 { Float(number) } else { Float(integer($0)) } })
    case .float64:
      columnValues = .float64(values.map { if case .real(let number) = $0 { number } else { Double(integer($0)) } })
    case .binary, .record, .list, .map:
      var offsets: [Int32] = [0]
      var bytes: [UInt8] = []
      for value in values {
        if case .bytes(let text) = value { bytes += text }
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
      }
      columnValues = .binary(offsets: offsets, bytes: bytes)
    }
    return Column(type: type, values: columnValues, validity: nulls)
  }
}
