import MeshData

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

  /// The pages' values of a chunk as one run: copied once, into storage of the right
  /// size (appending page by page would copy the chunk so far each time). Parts of
  /// another physical type are skipped; the decoder never makes them.
  static func joined(_ parts: [PhysicalValues], type: PhysicalType) -> PhysicalValues {
    guard parts.count > 1 else { return parts.first ?? .empty(type) }
    func join<T>(_ pick: (PhysicalValues) -> [T]?) -> [T] {
      var result: [T] = []
      result.reserveCapacity(parts.reduce(0) { $0 + $1.count })
      for part in parts { result.append(contentsOf: pick(part) ?? []) }
      return result
    }
    switch type {
    case .boolean: return .boolean(join { if case .boolean(let v) = $0 { v } else { nil } })
    case .int32: return .int32(join { if case .int32(let v) = $0 { v } else { nil } })
    case .int64: return .int64(join { if case .int64(let v) = $0 { v } else { nil } })
    case .int96: return .int96(join { if case .int96(let v) = $0 { v } else { nil } })
    case .float: return .float(join { if case .float(let v) = $0 { v } else { nil } })
    case .double: return .double(join { if case .double(let v) = $0 { v } else { nil } })
    case .byteArray, .fixedLenByteArray:
      var offsets: [Int32] = [0]
      offsets.reserveCapacity(parts.reduce(1) { $0 + $1.count })
      var bytes: [UInt8] = []
      bytes.reserveCapacity(
        parts.reduce(0) { total, part in
          if case .binary(_, let partBytes) = part { total + partBytes.count } else { total }
        })
      for case .binary(let partOffsets, let partBytes) in parts {
        let base = Int32(truncatingIfNeeded: bytes.count)
        for offset in partOffsets.dropFirst() { offsets.append(offset &+ base) }
        bytes.append(contentsOf: partBytes)
      }
      return .binary(offsets: offsets, bytes: bytes)
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
      // The indices are checked against the dictionary's size before (`ColumnChunkDecoder`).
      {
        let gathered = ColumnValues.gatheredBytes(indices, offsets: offsets, bytes: bytes)
        return .binary(offsets: gathered.offsets, bytes: gathered.bytes)
      }()
    }
  }
}
