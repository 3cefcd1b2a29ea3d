/// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT.
enum DeltaDecoding {
  /// Integers as blocks of bit-packed deltas from a first value; arithmetic wraps as the
  /// specification says writers' does.
  /// Decodes the `expected` values the page needs (a run may hold more; they are not read).
  static func binaryPacked(_ cursor: inout PageCursor, expected: Int) throws(FormatError) -> [Int64] {
    let blockSize = try cursor.count(limit: 1 << 20, "a delta block size")
    let miniblockCount = try cursor.count(limit: 1 << 10, "a delta miniblock count")
    let recorded = try cursor.count(limit: Int(Int32.max), "a delta value count")
    guard recorded >= expected else { throw FormatError("a delta run holds \(recorded) values, not \(expected)") }
    var value = try cursor.zigzag()
    guard blockSize > 0, miniblockCount > 0, blockSize % 128 == 0, (blockSize / miniblockCount) % 32 == 0 else {
      throw FormatError("a delta block of \(blockSize) values in \(miniblockCount) miniblocks is not valid")
    }
    let miniblockSize = blockSize / miniblockCount
    let total = expected
    var values: [Int64] = []
    values.reserveCapacity(total)
    if total > 0 { values.append(value) }
    var unpacked: [UInt64] = []
    while values.count < total {
      let minDelta = try cursor.zigzag()
      let widths = try cursor.take(miniblockCount).map { cursor.bytes[$0] }
      for width in widths where values.count < total {
        guard width <= 64 else { throw FormatError("a delta bit width of \(width) is not valid") }
        unpacked.removeAll(keepingCapacity: true)
        try unpack(&cursor, width: Int(width), count: miniblockSize, into: &unpacked)
        for delta in unpacked where values.count < total {
          value = value &+ minDelta &+ Int64(bitPattern: delta)
          values.append(value)
        }
      }
    }
    return values
  }

  private static func unpack(
    _ cursor: inout PageCursor, width: Int, count: Int, into output: inout [UInt64]
  ) throws(FormatError) {
    let range = try cursor.take(count * width / 8)
    guard width > 0 else {
      output.append(contentsOf: repeatElement(0, count: count))
      return
    }
    var index = range.lowerBound
    var buffer: UInt64 = 0
    var bits = 0
    for _ in 0..<count {
      var value: UInt64
      if bits >= width {
        value = width == 64 ? buffer : buffer & ((1 << UInt64(width)) - 1)
        buffer = width == 64 ? 0 : buffer >> UInt64(width)
        bits -= width
      } else {
        // Take the bits left in the buffer, then the rest from the next bytes.
        value = buffer
        var have = bits
        buffer = 0
        bits = 0
        while have < width {
          let byte = UInt64(cursor.bytes[index])
          index += 1
          let needed = width - have
          if needed >= 8 {
            value |= byte << UInt64(have)
            have += 8
          } else {
            value |= (byte & ((1 << UInt64(needed)) - 1)) << UInt64(have)
            buffer = byte >> UInt64(needed)
            bits = 8 - needed
            have = width
          }
        }
      }
      output.append(value)
    }
  }

  static func lengthByteArray(_ cursor: inout PageCursor, count: Int) throws(FormatError) -> PhysicalValues {
    let lengths = try binaryPacked(&cursor, expected: count)
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(count + 1)
    var total = 0
    for length in lengths.prefix(count) {
      guard length >= 0, length <= cursor.remaining - total else {
        throw FormatError("a byte array length of \(length) does not fit the page")
      }
      total += Int(length)
      offsets.append(Int32(truncatingIfNeeded: total))
    }
    let range = try cursor.take(total)
    return .binary(offsets: offsets, bytes: Array(cursor.bytes[range]))
  }

  /// Each value is a prefix of the previous one and a suffix.
  static func byteArray(_ cursor: inout PageCursor, count: Int) throws(FormatError) -> PhysicalValues {
    let prefixes = try binaryPacked(&cursor, expected: count)
    guard case .binary(let suffixOffsets, let suffixes) = try lengthByteArray(&cursor, count: count) else {
      return .binary(offsets: [0], bytes: [])
    }
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(count + 1)
    var bytes: [UInt8] = []
    var previous = 0..<0
    for index in 0..<count {
      let prefix = prefixes[index]
      guard prefix >= 0, prefix <= previous.count else {
        throw FormatError("a prefix length of \(prefix) is longer than the previous value")
      }
      let start = bytes.count
      bytes.append(contentsOf: bytes[previous.lowerBound..<previous.lowerBound + Int(prefix)])
      bytes.append(contentsOf: suffixes[Int(suffixOffsets[index])..<Int(suffixOffsets[index + 1])])
      guard bytes.count <= Int(Int32.max) else { throw FormatError("a page's byte arrays exceed 2 GiB") }
      offsets.append(Int32(bytes.count))
      previous = start..<bytes.count
    }
    return .binary(offsets: offsets, bytes: bytes)
  }

  /// The k-th bytes of all values, then the (k+1)-th, and so on.
  static func byteStreamSplit(
    _ cursor: inout PageCursor, type: PhysicalType, typeLength: Int, count: Int
  ) throws(FormatError) -> PhysicalValues {
    let width: Int
    switch type {
    case .int32, .float: width = 4
    case .int64, .double: width = 8
    case .fixedLenByteArray: width = typeLength
    default: throw FormatError("BYTE_STREAM_SPLIT does not apply to \(type.name)")
    }
    guard width > 0 else { throw FormatError("a FIXED_LEN_BYTE_ARRAY of length \(width) is not valid") }
    let range = try cursor.take(try PlainDecoding.bytes(count, width))
    var joined = [UInt8](repeating: 0, count: range.count)
    for stream in 0..<width {
      let base = range.lowerBound + stream * count
      for index in 0..<count { joined[index * width + stream] = cursor.bytes[base + index] }
    }
    var plain = PageCursor(joined)
    return try PlainDecoding.decode(&plain, type: type, typeLength: typeLength, count: count)
  }
}
