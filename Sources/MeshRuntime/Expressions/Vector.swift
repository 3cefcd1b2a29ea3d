import MeshData
import MeshPlan

/// What an expression node gives for a batch: a value for each of its rows (selected or
/// not), or one value for all of them. Constants stay scalars so that `amount >= 0`
/// compares a column with a number instead of with a column of zeros.
enum Vector {
  case column(Column)
  case constant(ScalarValue)

  var isNullConstant: Bool {
    if case .constant(.null) = self { return true }
    return false
  }

  var validity: Bitmap? {
    if case .column(let column) = self { return column.validity }
    return nil
  }

  /// A column of `count` rows of `type`, however the value is held.
  func column(count: Int, type: DataType) -> Column {
    switch self {
    case .column(let column): column
    case .constant(let value): Self.repeated(value, count: count, type: type)
    }
  }

  static func repeated(_ value: ScalarValue, count: Int, type: DataType) -> Column {
    let values: ColumnValues
    switch type.physical {
    case .boolean: values = .boolean([Bool](repeating: Bool.scalar(value) ?? false, count: count))
    case .int32: values = .int32([Int32](repeating: Int32.scalar(value) ?? 0, count: count))
    case .int64: values = .int64([Int64](repeating: Int64.scalar(value) ?? 0, count: count))
    case .float32: values = .float32([Float](repeating: Float.scalar(value) ?? 0, count: count))
    case .float64: values = .float64([Double](repeating: Double.scalar(value) ?? 0, count: count))
    case .binary, .record, .list, .map:
      let bytes = BinaryOperand.scalarBytes(value) ?? []
      var all: [UInt8] = []
      all.reserveCapacity(bytes.count * count)
      var offsets: [Int32] = [0]
      offsets.reserveCapacity(count + 1)
      for _ in 0..<count {
        all += bytes
        offsets.append(Int32(truncatingIfNeeded: all.count))
      }
      values = .binary(offsets: offsets, bytes: all)
    }
    let validity = value == .null ? Bitmap(repeating: false, count: count) : nil
    return Column(type: type, values: values, validity: validity)
  }
}

/// A fixed-width element type of columns, and how constants turn into one.
protocol FixedWidthValue: Sendable {
  static func values(_ values: ColumnValues) -> [Self]?
  static func scalar(_ value: ScalarValue) -> Self?
  static func wrap(_ values: [Self]) -> ColumnValues
}

extension Bool: FixedWidthValue {
  static func values(_ values: ColumnValues) -> [Bool]? {
    if case .boolean(let array) = values { return array }
    return nil
  }
  static func scalar(_ value: ScalarValue) -> Bool? {
    if case .boolean(let b) = value { return b }
    return nil
  }
  static func wrap(_ values: [Bool]) -> ColumnValues { .boolean(values) }
}

extension Int32: FixedWidthValue {
  static func values(_ values: ColumnValues) -> [Int32]? {
    if case .int32(let array) = values { return array }
    return nil
  }
  static func scalar(_ value: ScalarValue) -> Int32? {
    switch value {
    case .integer(let n): Int32(exactly: n)
    case .date(let days): days
    default: nil
    }
  }
  static func wrap(_ values: [Int32]) -> ColumnValues { .int32(values) }
}

extension Int64: FixedWidthValue {
  static func values(_ values: ColumnValues) -> [Int64]? {
    if case .int64(let array) = values { return array }
    return nil
  }
  static func scalar(_ value: ScalarValue) -> Int64? {
    switch value {
    case .integer(let n), .decimal(let n, _), .timestamp(let n, _), .duration(let n): n
    default: nil
    }
  }
  static func wrap(_ values: [Int64]) -> ColumnValues { .int64(values) }
}

extension Float: FixedWidthValue {
  static func values(_ values: ColumnValues) -> [Float]? {
    if case .float32(let array) = values { return array }
    return nil
  }
  static func scalar(_ value: ScalarValue) -> Float? {
    switch value {
    case .double(let d): Float(d)
    case .integer(let n): Float(n)
    default: nil
    }
  }
  static func wrap(_ values: [Float]) -> ColumnValues { .float32(values) }
}

extension Double: FixedWidthValue {
  static func values(_ values: ColumnValues) -> [Double]? {
    if case .float64(let array) = values { return array }
    return nil
  }
  static func scalar(_ value: ScalarValue) -> Double? {
    switch value {
    case .double(let d): d
    case .integer(let n): Double(n)
    default: nil
    }
  }
  static func wrap(_ values: [Double]) -> ColumnValues { .float64(values) }
}

/// A fixed-width operand: a value per row or one for all.
enum Operand<T: FixedWidthValue> {
  case values([T])
  case scalar(T)

  /// Nil for the null constant (the caller's result is then null) or a column of
  /// another layout (a compiler bug the caller reports).
  init?(_ vector: Vector) {
    switch vector {
    case .column(let column):
      guard let values = T.values(column.values) else { return nil }
      self = .values(values)
    case .constant(let value):
      guard let scalar = T.scalar(value) else { return nil }
      self = .scalar(scalar)
    }
  }
}

/// A string or bytes operand.
enum BinaryOperand {
  case values(offsets: [Int32], bytes: [UInt8])
  case scalar([UInt8])

  init?(_ vector: Vector) {
    switch vector {
    case .column(let column):
      guard case .binary(let offsets, let bytes) = column.values else { return nil }
      self = .values(offsets: offsets, bytes: bytes)
    case .constant(let value):
      guard let bytes = Self.scalarBytes(value) else { return nil }
      self = .scalar(bytes)
    }
  }

  static func scalarBytes(_ value: ScalarValue) -> [UInt8]? {
    if case .string(let text) = value { return Array(text.utf8) }
    return nil
  }
}
