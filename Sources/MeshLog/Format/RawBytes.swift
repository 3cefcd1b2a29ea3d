/// Little-endian fixed-width and LEB128 varint access to raw memory, for the hot paths
/// of the batch format. Callers check bounds before calling the `put` functions; the
/// `read` functions check them and return nil on short or malformed input.
@usableFromInline
enum RawBytes {
  @inline(__always)
  static func putUInt32(_ value: UInt32, _ base: UnsafeMutableRawPointer, _ at: Int) {
    base.storeBytes(of: value.littleEndian, toByteOffset: at, as: UInt32.self)
  }

  @inline(__always)
  static func putInt64(_ value: Int64, _ base: UnsafeMutableRawPointer, _ at: Int) {
    base.storeBytes(of: value.littleEndian, toByteOffset: at, as: Int64.self)
  }

  @inline(__always)
  static func uint32(_ base: UnsafeRawPointer, _ at: Int) -> UInt32 {
    UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self))
  }

  @inline(__always)
  static func int64(_ base: UnsafeRawPointer, _ at: Int) -> Int64 {
    Int64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: Int64.self))
  }

  /// Bounds-checked loads from a buffer (`at + size <= buffer.count`, else 0).
  @inline(__always)
  static func uint32(_ buffer: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
    guard at >= 0, at + 4 <= buffer.count else { return 0 }
    return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: at, as: UInt32.self))
  }

  @inline(__always)
  static func int64(_ buffer: UnsafeRawBufferPointer, _ at: Int) -> Int64 {
    guard at >= 0, at + 8 <= buffer.count else { return 0 }
    return Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: at, as: Int64.self))
  }

  /// Bytes an unsigned LEB128 varint of `value` takes.
  @inline(__always)
  static func varintSize(_ value: UInt64) -> Int {
    // Lengths, deltas and counts of records take one or two bytes: two comparisons
    // instead of a bit scan, which is slow on some processors and sits on the encoder's
    // critical path six times a record.
    if value < 1 << 7 { return 1 }
    if value < 1 << 14 { return 2 }
    // (bits needed + 6) / 7.
    let bits = 64 - value.leadingZeroBitCount
    return (bits + 6) / 7
  }

  @inline(__always)
  static func putVarint(_ value: UInt64, _ base: UnsafeMutableRawPointer, _ at: inout Int) {
    var rest = value
    while rest >= 0x80 {
      base.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, toByteOffset: at, as: UInt8.self)
      at += 1
      rest >>= 7
    }
    base.storeBytes(of: UInt8(rest), toByteOffset: at, as: UInt8.self)
    at += 1
  }

  /// Reads a varint of at most ten bytes at `at` without reading at or past `end`.
  @inlinable @inline(__always)
  static func readVarint(_ base: UnsafeRawPointer, _ at: inout Int, _ end: Int) -> UInt64? {
    // The varints of a record (lengths, deltas, counts) take one or two bytes.
    if at < end {
      let first = base.load(fromByteOffset: at, as: UInt8.self)
      if first < 0x80 {
        at &+= 1
        return UInt64(first)
      }
      if at &+ 1 < end {
        let second = base.load(fromByteOffset: at &+ 1, as: UInt8.self)
        if second < 0x80 {
          at &+= 2
          return UInt64(first & 0x7F) | UInt64(second) << 7
        }
      }
    }
    // Returned, not `inout`: an address passed to a call would keep `at` out of registers
    // in every caller's loop.
    guard let (value, next) = readLongVarint(base, from: at, end) else { return nil }
    at = next
    return value
  }

  /// A varint of one or two bytes at `at`, read without bounds checks (the caller knows
  /// that two bytes are there); nil, with `at` unchanged, for a longer one.
  @inlinable @inline(__always)
  static func shortVarint(_ base: UnsafeRawPointer, _ at: inout Int) -> UInt64? {
    let first = base.load(fromByteOffset: at, as: UInt8.self)
    if first < 0x80 {
      at &+= 1
      return UInt64(first)
    }
    let second = base.load(fromByteOffset: at &+ 1, as: UInt8.self)
    guard second < 0x80 else { return nil }
    at &+= 2
    return UInt64(first & 0x7F) | UInt64(second) << 7
  }

  /// A varint of any length up to ten bytes from `start`, and the position after it.
  @usableFromInline @inline(never)
  static func readLongVarint(_ base: UnsafeRawPointer, from start: Int, _ end: Int) -> (UInt64, Int)? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    var at = start
    while at < end {
      let byte = base.load(fromByteOffset: at, as: UInt8.self)
      at += 1
      if shift == 63, byte > 1 { return nil }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return (result, at) }
      shift += 7
      if shift > 63 { return nil }
    }
    return nil
  }

  @inline(__always)
  static func zigZag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

  @inlinable @inline(__always)
  static func unZigZag(_ raw: UInt64) -> Int64 { Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1) }
}
