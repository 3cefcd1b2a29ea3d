/// One field's values for every row of a batch: fixed-width values in one contiguous
/// array, strings and bytes as offsets into one byte buffer, records as child columns,
/// arrays and maps as offsets into child columns. `validity` is nil when no row is null.
public struct Column: Sendable {
  public var type: DataType
  public var values: ColumnValues
  public var validity: Bitmap?

  public init(type: DataType, values: ColumnValues, validity: Bitmap? = nil) {
    self.type = type
    self.values = values
    self.validity = validity
  }

  public var count: Int { values.count }

  @inlinable public func isNull(_ row: Int) -> Bool {
    guard let validity else { return false }
    return !validity[row]
  }
}

public indirect enum ColumnValues: Sendable {
  case boolean([Bool])
  case int32([Int32])
  case int64([Int64])
  case float32([Float])
  case float64([Double])
  /// Row `i` is `bytes[offsets[i]..<offsets[i + 1]]`; `offsets` has one more entry than rows.
  case binary(offsets: [Int32], bytes: [UInt8])
  case record(fields: [Column], count: Int)
  /// Row `i` holds `element` rows `offsets[i]..<offsets[i + 1]`.
  case list(offsets: [Int32], element: Column)
  case map(offsets: [Int32], keys: Column, values: Column)

  public var count: Int {
    switch self {
    case .boolean(let values): values.count
    case .int32(let values): values.count
    case .int64(let values): values.count
    case .float32(let values): values.count
    case .float64(let values): values.count
    case .binary(let offsets, _): max(0, offsets.count - 1)
    case .record(_, let count): count
    case .list(let offsets, _): max(0, offsets.count - 1)
    case .map(let offsets, _, _): max(0, offsets.count - 1)
    }
  }
}

extension Column {
  /// The bytes of row `row` of a binary column (empty for other kinds).
  public func binary(_ row: Int) -> ArraySlice<UInt8> {
    guard case .binary(let offsets, let bytes) = values else { return [] }
    return bytes[Int(offsets[row])..<Int(offsets[row + 1])]
  }

  public func string(_ row: Int) -> String { String(decoding: binary(row), as: UTF8.self) }
}
