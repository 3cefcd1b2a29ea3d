import MeshSchema

/// Reads Avro's binary encoding from a buffer, every read checked against its end.
struct AvroCursor {
  let base: UnsafeRawBufferPointer
  var offset: Int

  init(_ base: UnsafeRawBufferPointer) {
    self.base = base
    offset = 0
  }

  var isAtEnd: Bool { offset >= base.count }

  mutating func byte() throws(BatchDecodingError) -> UInt8 {
    guard offset < base.count else { throw .truncated }
    let value = base[offset]
    offset += 1
    return value
  }

  /// A zig-zag varint of at most ten bytes.
  mutating func long() throws(BatchDecodingError) -> Int64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let next = try byte()
      guard shift < 64 else { throw .invalid("varint longer than ten bytes") }
      result |= UInt64(next & 0x7F) << shift
      if next & 0x80 == 0 { break }
      shift += 7
    }
    return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
  }

  mutating func int() throws(BatchDecodingError) -> Int32 {
    let value = try long()
    guard let narrow = Int32(exactly: value) else { throw .invalid("int \(value) out of range") }
    return narrow
  }

  mutating func fixed8() throws(BatchDecodingError) -> UInt64 {
    guard base.count - offset >= 8 else { throw .truncated }
    let value = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    offset += 8
    return UInt64(littleEndian: value)
  }

  mutating func fixed4() throws(BatchDecodingError) -> UInt32 {
    guard base.count - offset >= 4 else { throw .truncated }
    let value = base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    offset += 4
    return UInt32(littleEndian: value)
  }

  /// The range of the next `count` bytes.
  mutating func take(_ count: Int) throws(BatchDecodingError) -> Range<Int> {
    guard count >= 0, base.count - offset >= count else { throw .truncated }
    defer { offset += count }
    return offset..<(offset + count)
  }

  /// A length-prefixed run of bytes.
  mutating func lengthPrefixed() throws(BatchDecodingError) -> Range<Int> {
    let length = try long()
    guard length >= 0 else { throw .invalid("negative length \(length)") }
    guard length <= Int64(base.count - offset) else { throw .truncated }
    return try take(Int(length))
  }

  /// The item count of the next block of an array or map (0 ends it); a negative count
  /// is followed by the block's size in bytes, which is skipped.
  mutating func blockCount() throws(BatchDecodingError) -> Int {
    var count = try long()
    if count < 0 {
      _ = try long()
      guard count != Int64.min else { throw .invalid("block count out of range") }
      count = -count
    }
    // Items that take no bytes (empty records) are bounded as AvroBinary bounds them.
    guard count <= Int64(base.count - offset) + Int64(AvroBinary.maxItemsWithoutBytes) else {
      throw .invalid("block of \(count) items")
    }
    return Int(count)
  }
}
