/// Why bytes could not be read; `offset` is where the reader stood.
public enum ByteReaderError: Error, Hashable, Sendable, CustomStringConvertible {
  case truncated(offset: Int, needed: Int)
  case malformedVarint(offset: Int)
  /// A value the format does not allow there (an unknown tag).
  case unexpectedValue(offset: Int)

  public var description: String {
    switch self {
    case .truncated(let offset, let needed): "unexpected end of data at byte \(offset) (needed \(needed) more)"
    case .malformedVarint(let offset): "malformed variable-length integer at byte \(offset)"
    case .unexpectedValue(let offset): "unexpected value at byte \(offset)"
    }
  }
}

/// Reads the encodings `ByteWriter` writes from a byte array, checking every bound: a
/// short or corrupt input throws, it never traps.
public struct ByteReader: Sendable {
  public let bytes: [UInt8]
  public private(set) var offset: Int
  public let end: Int

  public init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
    self.bytes = bytes
    self.offset = offset
    self.end = min(end ?? bytes.count, bytes.count)
  }

  public var remaining: Int { end - offset }
  public var isAtEnd: Bool { offset >= end }

  public mutating func readByte() throws(ByteReaderError) -> UInt8 {
    guard offset < end else { throw .truncated(offset: offset, needed: 1) }
    defer { offset += 1 }
    return bytes[offset]
  }

  public mutating func readBytes(_ count: Int) throws(ByteReaderError) -> ArraySlice<UInt8> {
    guard count >= 0, count <= remaining else { throw .truncated(offset: offset, needed: count - remaining) }
    defer { offset += count }
    return bytes[offset..<offset + count]
  }

  /// Moves to an absolute offset within `0...end`.
  public mutating func seek(to newOffset: Int) throws(ByteReaderError) {
    guard newOffset >= 0, newOffset <= end else { throw .truncated(offset: offset, needed: newOffset - end) }
    offset = newOffset
  }

  public mutating func skip(_ count: Int) throws(ByteReaderError) {
    guard count >= 0, count <= remaining else { throw .truncated(offset: offset, needed: count - remaining) }
    offset += count
  }

  public mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type) throws(ByteReaderError) -> T {
    let size = MemoryLayout<T>.size
    guard size <= remaining else { throw .truncated(offset: offset, needed: size - remaining) }
    var value: T = 0
    for index in offset..<offset + size { value = value << 8 | T(bytes[index]) }
    offset += size
    return value
  }

  public mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws(ByteReaderError) -> T {
    let size = MemoryLayout<T>.size
    guard size <= remaining else { throw .truncated(offset: offset, needed: size - remaining) }
    var value: T = 0
    for index in (offset..<offset + size).reversed() { value = value << 8 | T(bytes[index]) }
    offset += size
    return value
  }

  /// Unsigned LEB128 of at most ten bytes; an eleventh continuation byte is malformed.
  public mutating func readVarint() throws(ByteReaderError) -> UInt64 {
    let start = offset
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard offset < end else { throw .truncated(offset: offset, needed: 1) }
      let byte = bytes[offset]
      offset += 1
      if shift == 63, byte > 1 { throw .malformedVarint(offset: start) }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
      if shift > 63 { throw .malformedVarint(offset: start) }
    }
  }

  public mutating func readZigZag() throws(ByteReaderError) -> Int64 {
    let raw = try readVarint()
    return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
  }

  public mutating func readFloatLittleEndian() throws(ByteReaderError) -> Float {
    Float(bitPattern: try readLittleEndian(UInt32.self))
  }

  public mutating func readDoubleLittleEndian() throws(ByteReaderError) -> Double {
    Double(bitPattern: try readLittleEndian(UInt64.self))
  }
}
