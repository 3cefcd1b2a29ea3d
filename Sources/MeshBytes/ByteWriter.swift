/// An append-only byte buffer with the encodings meshc's formats use: fixed-width
/// integers in either byte order, unsigned LEB128 varints and zig-zag varints (Avro's
/// `int`/`long`), IEEE floats. Value type; grows like an Array.
public struct ByteWriter: Sendable {
  public var bytes: [UInt8]

  public init(capacity: Int = 0) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  public var count: Int { bytes.count }

  public mutating func removeAll(keepingCapacity: Bool = true) {
    bytes.removeAll(keepingCapacity: keepingCapacity)
  }

  @inlinable public mutating func write(_ byte: UInt8) { bytes.append(byte) }

  @inlinable public mutating func write(_ other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

  public mutating func write(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

  @inlinable
  public mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
    var big = value.bigEndian
    withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
  }

  @inlinable
  public mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
    var little = value.littleEndian
    withUnsafeBytes(of: &little) { bytes.append(contentsOf: $0) }
  }

  /// Unsigned LEB128: seven bits a byte, low group first, high bit set on all but the last.
  @inlinable
  public mutating func writeVarint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }

  /// Zig-zag then varint, so small negative numbers stay short (Avro `long`).
  @inlinable
  public mutating func writeZigZag(_ value: Int64) {
    writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
  }

  public mutating func writeFloatLittleEndian(_ value: Float) { writeLittleEndian(value.bitPattern) }
  public mutating func writeDoubleLittleEndian(_ value: Double) { writeLittleEndian(value.bitPattern) }

  /// Overwrites four bytes at `offset`, e.g. a length or checksum known only after the body.
  public mutating func patchBigEndian(_ value: UInt32, at offset: Int) {
    bytes[offset] = UInt8(truncatingIfNeeded: value >> 24)
    bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
    bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
    bytes[offset + 3] = UInt8(truncatingIfNeeded: value)
  }
}
