import MeshData

/// Builds a column by taking each row from one of several columns of one type: what
/// CASE, coalesce, nullif, least and greatest come down to.
enum Choice {
  /// `choice[row]` is the index of the column to take the row from, or -1 for NULL.
  static func pick(_ columns: [Column], _ choice: [Int], type: DataType) -> Column? {
    let count = choice.count
    var validity = Bitmap(repeating: true, count: count)
    var anyNull = false
    for row in 0..<count where choice[row] < 0 || columns[choice[row]].isNull(row) {
      validity[row] = false
      anyNull = true
    }
    let values: ColumnValues
    switch type.physical {
    case .boolean: values = .boolean(fixed(columns, choice, false))
    case .int32: values = .int32(fixed(columns, choice, Int32(0)))
    case .int64: values = .int64(fixed(columns, choice, Int64(0)))
    case .float32: values = .float32(fixed(columns, choice, Float(0)))
    case .float64: values = .float64(fixed(columns, choice, 0.0))
    case .binary:
      var bytes: [UInt8] = []
      var offsets: [Int32] = [0]
      offsets.reserveCapacity(count + 1)
      for row in 0..<count {
        if choice[row] >= 0 { bytes += columns[choice[row]].binary(row) }
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
      }
      values = .binary(offsets: offsets, bytes: bytes)
    case .record, .list, .map:
      return nil
    }
    return Column(type: type, values: values, validity: anyNull ? validity : nil)
  }

  private static func fixed<T: FixedWidthValue>(_ columns: [Column], _ choice: [Int], _ zero: T) -> [T] {
    let arrays = columns.map { T.values($0.values) ?? [] }
    var result = [T](repeating: zero, count: choice.count)
    for row in 0..<choice.count {
      let index = choice[row]
      if index >= 0, row < arrays[index].count { result[row] = arrays[index][row] }
    }
    return result
  }
}
