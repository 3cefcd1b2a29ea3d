/// The non-null values of a column chunk as its physical type holds them, before they
/// become a typed column.
enum PhysicalValues {
  case boolean([Bool])
  case int32([Int32])
  case int64([Int64])
  /// INT96 timestamps, already nanoseconds since the epoch.
  case int96([Int64])
  case float([Float])
  case double([Double])
  /// BYTE_ARRAY, and FIXED_LEN_BYTE_ARRAY with `offsets` a multiple of its size.
  case binary(offsets: [Int32], bytes: [UInt8])

  static func empty(_ type: PhysicalType) -> PhysicalValues {
    switch type {
    case .boolean: .boolean([])
    case .int32: .int32([])
    case .int64: .int64([])
    case .int96: .int96([])
    case .float: .float([])
    case .double: .double([])
    case .byteArray, .fixedLenByteArray: .binary(offsets: [0], bytes: [])
    }
  }

  var count: Int {
    switch self {
    case .boolean(let values): values.count
    case .int32(let values): values.count
    case .int64(let values), .int96(let values): values.count
    case .float(let values): values.count
    case .double(let values): values.count
    case .binary(let offsets, _): offsets.count - 1
    }
  }

  /// Appends `other`, which holds the same physical type.
  mutating func append(_ other: PhysicalValues) {
    switch (self, other) {
    case (.boolean(var values), .boolean(let more)):
      values.append(contentsOf: more)
      self = .boolean(values)
    case (.int32(var values), .int32(let more)):
      values.append(contentsOf: more)
      self = .int32(values)
    case (.int64(var values), .int64(let more)):
      values.append(contentsOf: more)
      self = .int64(values)
    case (.int96(var values), .int96(let more)):
      values.append(contentsOf: more)
      self = .int96(values)
    case (.float(var values), .float(let more)):
      values.append(contentsOf: more)
      self = .float(values)
    case (.double(var values), .double(let more)):
      values.append(contentsOf: more)
      self = .double(values)
    case (.binary(var offsets, var bytes), .binary(let moreOffsets, let moreBytes)):
      let base = offsets.last ?? 0
      offsets.append(contentsOf: moreOffsets.dropFirst().map { $0 &+ base })
      bytes.append(contentsOf: moreBytes)
      self = .binary(offsets: offsets, bytes: bytes)
    default:
      break
    }
  }

  /// The values at `indices` (dictionary indices, already checked to be in range).
  func gather(_ indices: [Int32]) -> PhysicalValues {
    switch self {
    case .boolean(let values): .boolean(indices.map { values[Int($0)] })
    case .int32(let values): .int32(indices.map { values[Int($0)] })
    case .int64(let values): .int64(indices.map { values[Int($0)] })
    case .int96(let values): .int96(indices.map { values[Int($0)] })
    case .float(let values): .float(indices.map { values[Int($0)] })
    case .double(let values): .double(indices.map { values[Int($0)] })
    case .binary(let offsets, let bytes):
      {
        var newOffsets: [Int32] = [0]
        newOffsets.reserveCapacity(indices.count + 1)
        var total = 0
        for index in indices { total += Int(offsets[Int(index) + 1] - offsets[Int(index)]) }
        var newBytes: [UInt8] = []
        newBytes.reserveCapacity(total)
        for index in indices {
          newBytes.append(contentsOf: bytes[Int(offsets[Int(index)])..<Int(offsets[Int(index) + 1])])
          newOffsets.append(Int32(truncatingIfNeeded: newBytes.count))
        }
        return .binary(offsets: newOffsets, bytes: newBytes)
      }()
    }
  }
}
