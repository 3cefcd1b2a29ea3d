/// Reads a page's bytes front to back; every read is checked against the end, so a
/// damaged page is an error, never a read past its bytes.
struct PageCursor {
  let bytes: [UInt8]
  var offset: Int
  let end: Int

  init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
    self.bytes = bytes
    offset = start
    self.end = min(end ?? bytes.count, bytes.count)
  }

  var remaining: Int { end - offset }

  mutating func byte() throws(FormatError) -> UInt8 {
    guard offset < end else { throw FormatError("the page ends early at byte \(offset)") }
    defer { offset += 1 }
    return bytes[offset]
  }

  /// `count` bytes as a range of `bytes`.
  mutating func take(_ count: Int) throws(FormatError) -> Range<Int> {
    guard count >= 0, count <= remaining else {
      throw FormatError("the page ends early: \(count) bytes wanted at byte \(offset), \(max(0, remaining)) left")
    }
    defer { offset += count }
    return offset..<offset + count
  }

  mutating func uint32() throws(FormatError) -> UInt32 {
    let range = try take(4)
    var value: UInt32 = 0
    for index in range.reversed() { value = value << 8 | UInt32(bytes[index]) }
    return value
  }

  mutating func varint() throws(FormatError) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let next = try byte()
      guard shift < 64 else { throw FormatError("a varint at byte \(offset) is too long") }
      value |= UInt64(next & 0x7F) << shift
      if next & 0x80 == 0 { return value }
      shift += 7
    }
  }

  mutating func zigzag() throws(FormatError) -> Int64 {
    let raw = try varint()
    return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
  }

  /// A varint that counts something: at most `limit`.
  mutating func count(limit: Int, _ what: String) throws(FormatError) -> Int {
    let raw = try varint()
    guard raw <= UInt64(limit) else { throw FormatError("\(what) \(raw) is more than the page can hold") }
    return Int(raw)
  }
}
