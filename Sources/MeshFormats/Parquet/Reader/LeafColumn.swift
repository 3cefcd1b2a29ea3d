import MeshData

/// A leaf's physical values as the values of its column type, with a placeholder at
/// each row that holds no value (`take` maps rows to values; nil when every row has one).
enum LeafColumn {
  static func values(
    _ physical: PhysicalValues, take: [Int32]?, type: DataType, conversion: LeafConversion, column: String
  ) throws(FormatError) -> ColumnValues {
    switch (conversion, physical) {
    case (.null, _):
      // Every row is null: the validity bitmap says so; the values are placeholders.
      return .boolean([Bool](repeating: false, count: take?.count ?? physical.count))
    case (.direct, .boolean(let values)) where type.physical == .boolean:
      return .boolean(expand(values, take, false))
    case (.direct, .int32(let values)) where type.physical == .int32:
      return .int32(expand(values, take, 0))
    case (.direct, .int64(let values)) where type.physical == .int64,
      (.direct, .int96(let values)) where type.physical == .int64:
      return .int64(expand(values, take, 0))
    case (.direct, .float(let values)) where type.physical == .float32:
      return .float32(expand(values, take, 0))
    case (.direct, .double(let values)) where type.physical == .float64:
      return .float64(expand(values, take, 0))
    case (.direct, .binary(let offsets, let bytes)) where type.physical == .binary:
      var fill = 0
      if case .fixed(let size) = type { fill = size }
      return expandBinary(offsets, bytes, take, fill: fill)
    case (.widen, .int32(let values)):
      return .int64(expand(values.map { Int64($0) }, take, 0))
    case (.unsigned32, .int32(let values)):
      return .int64(expand(values.map { Int64(UInt32(bitPattern: $0)) }, take, 0))
    case (.unsigned64, .int64(let values)):
      if let large = values.first(where: { $0 < 0 }) {
        throw FormatError("column \(column) holds the UINT_64 value \(UInt64(bitPattern: large)), beyond a long")
      }
      return .int64(expand(values, take, 0))
    case (.decimalBytes, .binary(let offsets, let bytes)):
      var unscaled: [Int64] = []
      unscaled.reserveCapacity(offsets.count - 1)
      for index in 0..<offsets.count - 1 {
        guard let value = decimal(bytes[Int(offsets[index])..<Int(offsets[index + 1])]) else {
          throw FormatError("column \(column) holds a decimal of more than 18 digits")
        }
        unscaled.append(value)
      }
      return .int64(expand(unscaled, take, 0))
    case (.uuidBytes, .binary(let offsets, let bytes)):
      var text: [UInt8] = []
      text.reserveCapacity((offsets.count - 1) * 36)
      for index in 0..<offsets.count - 1 {
        text.append(contentsOf: UUIDText.text(bytes[Int(offsets[index])..<Int(offsets[index + 1])]))
      }
      return expandBinary((0..<offsets.count).map { Int32($0 * 36) }, text, take, fill: 0)
    case (.float16, .binary(let offsets, let bytes)):
      let values = (0..<offsets.count - 1).map { index in
        let start = Int(offsets[index])
        return Float(halfBits: UInt16(bytes[start]) | UInt16(bytes[start + 1]) << 8)
      }
      return .float32(expand(values, take, 0))
    case (.enumSymbols(let symbols), .binary(let offsets, let bytes)):
      var lookup: [ArraySlice<UInt8>: Int32] = [:]
      for (index, symbol) in symbols.enumerated() { lookup[ArraySlice(symbol.utf8)] = Int32(index) }
      var indices: [Int32] = []
      indices.reserveCapacity(offsets.count - 1)
      for index in 0..<offsets.count - 1 {
        let text = bytes[Int(offsets[index])..<Int(offsets[index + 1])]
        guard let symbol = lookup[text] else {
          throw FormatError(
            "column \(column) holds \(String(decoding: text, as: UTF8.self)), not one of its enum's symbols")
        }
        indices.append(symbol)
      }
      return .int32(expand(indices, take, 0))
    default:
      throw FormatError("column \(column) cannot be read as \(type)")
    }
  }

  static func expand<T>(_ values: [T], _ take: [Int32]?, _ placeholder: T) -> [T] {
    guard let take else { return values }
    return take.map { $0 < 0 ? placeholder : values[Int($0)] }
  }

  static func expandBinary(_ offsets: [Int32], _ bytes: [UInt8], _ take: [Int32]?, fill: Int) -> ColumnValues {
    guard let take else { return .binary(offsets: offsets, bytes: bytes) }
    if fill == 0 {
      // Nulls are empty: a gather (the positions are the chunk's own, in range).
      let gathered = ColumnValues.gatheredBytes(take, offsets: offsets, bytes: bytes)
      return .binary(offsets: gathered.offsets, bytes: gathered.bytes)
    }
    var newOffsets: [Int32] = [0]
    newOffsets.reserveCapacity(take.count + 1)
    var newBytes: [UInt8] = []
    newBytes.reserveCapacity(bytes.count + fill * (take.count - (offsets.count - 1)))
    for index in take {
      if index < 0 {
        newBytes.append(contentsOf: repeatElement(0, count: fill))
      } else {
        newBytes.append(contentsOf: bytes[Int(offsets[Int(index)])..<Int(offsets[Int(index) + 1])])
      }
      newOffsets.append(Int32(truncatingIfNeeded: newBytes.count))
    }
    return .binary(offsets: newOffsets, bytes: newBytes)
  }

  /// A big-endian two's-complement integer of any length that fits an Int64.
  static func decimal(_ bytes: ArraySlice<UInt8>) -> Int64? {
    guard let first = bytes.first else { return 0 }
    let sign: UInt8 = first & 0x80 != 0 ? 0xFF : 0
    var value: Int64 = sign == 0xFF ? -1 : 0
    for (position, byte) in bytes.enumerated() {
      if position < bytes.count - 8 {
        guard byte == sign else { return nil }
        continue
      }
      value = value << 8 | Int64(byte)
    }
    // Eight bytes whose top bit disagrees with the dropped sign bytes overflowed.
    if bytes.count > 8, (value < 0) != (sign == 0xFF) { return nil }
    return value
  }
}

extension Float {
  /// An IEEE half-precision value's bits.
  init(halfBits bits: UInt16) {
    let sign = UInt32(bits >> 15) << 31
    let exponent = Int(bits >> 10 & 0x1F)
    let fraction = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
      // Zero or subnormal: fraction × 2^-24.
      let magnitude = Float(fraction) * Float(sign: .plus, exponent: -24, significand: 1)
      self = sign != 0 ? -magnitude : magnitude
    case 31:
      self = Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
    default:
      self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
    }
  }
}
