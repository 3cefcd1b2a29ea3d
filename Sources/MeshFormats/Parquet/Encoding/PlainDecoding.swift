import MeshBytes

/// PLAIN values: little-endian fixed widths, bit-packed booleans, length-prefixed byte
/// arrays, fixed-length byte arrays back to back.
enum PlainDecoding {
  static func decode(
    _ cursor: inout PageCursor, type: PhysicalType, typeLength: Int, count: Int
  ) throws(FormatError) -> PhysicalValues {
    switch type {
    case .boolean:
      let range = try cursor.take((count + 7) / 8)
      let base = range.lowerBound
      return .boolean((0..<count).map { cursor.bytes[base + $0 >> 3] & (1 << UInt8($0 & 7)) != 0 })
    case .int32: return .int32(try values(&cursor, count: count) { Int32(truncatingIfNeeded: $0) })
    case .int64: return .int64(try values(&cursor, count: count) { Int64(bitPattern: $0) })
    case .float: return .float(try values(&cursor, count: count) { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
    case .double: return .double(try values(&cursor, count: count) { Double(bitPattern: $0) })
    case .int96:
      let range = try cursor.take(try bytes(count, 12))
      return .int96(Int96.nanoseconds(cursor.bytes, range, count: count))
    case .byteArray:
      guard count <= cursor.remaining / 4 else { throw FormatError("\(count) byte arrays cannot fit the page") }
      // Straight from the page's buffer in two passes: the lengths, each bound checked,
      // then one copy of each value into a buffer allocated once — appending a value at a
      // time (or through the cursor) costs several times the copy.
      let (start, end) = (cursor.offset, cursor.end)
      var offsets = [Int32](repeating: 0, count: count + 1)
      let reached = cursor.bytes.withUnsafeBytes { raw in
        offsets.withUnsafeMutableBufferPointer { offsets -> Int? in
          var (position, total) = (start, 0)
          for index in 0..<count {
            guard end - position >= 4 else { return nil }
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position += 4
            guard length <= end - position else { return nil }
            position += length
            total += length
            offsets[index + 1] = Int32(truncatingIfNeeded: total)
          }
          return position
        }
      }
      guard let reached else {
        throw FormatError("the page ends early: \(count) byte arrays do not fit its \(end - start) bytes")
      }
      // The values and their prefixes lie within the page checked above.
      let total = reached - start - 4 * count
      let bytes = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
        cursor.bytes.withUnsafeBytes { raw in
          guard let source = raw.baseAddress, let target = out.baseAddress else { return }
          var position = start
          for index in 0..<count {
            let (from, to) = (Int(offsets[index]), Int(offsets[index + 1]))
            ShortCopy.copy(source + position + 4, to: target + from, count: to - from)
            position += 4 + to - from
          }
        }
        initialized = total
      }
      _ = try cursor.take(reached - start)
      return .binary(offsets: offsets, bytes: bytes)
    case .fixedLenByteArray:
      guard typeLength > 0 else { throw FormatError("a FIXED_LEN_BYTE_ARRAY of length \(typeLength) is not valid") }
      let range = try cursor.take(try bytes(count, typeLength))
      let offsets = (0...count).map { Int32(truncatingIfNeeded: $0 * typeLength) }
      return .binary(offsets: offsets, bytes: Array(cursor.bytes[range]))
    }
  }

  /// The bytes `count` values of `width` bytes take; a count no page could hold is an error.
  static func bytes(_ count: Int, _ width: Int) throws(FormatError) -> Int {
    let (total, overflow) = count.multipliedReportingOverflow(by: width)
    guard !overflow, count >= 0 else { throw FormatError("\(count) values of \(width) bytes cannot fit a page") }
    return total
  }

  /// `count` little-endian values of `T`'s width: copied whole on a little-endian machine,
  /// else each read and made by `make` from its bits.
  private static func values<T>(
    _ cursor: inout PageCursor, count: Int, make: (UInt64) -> T
  ) throws(FormatError) -> [T] {
    let width = MemoryLayout<T>.size
    let range = try cursor.take(try bytes(count, width))
    return cursor.bytes.withUnsafeBytes { raw in
      #if _endian(little)
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
          UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[range]))
          initialized = count
        }
      #else
        (0..<count).map { index in
          let start = range.lowerBound + index * width
          return make(
            width == 8
              ? UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
              : UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt32.self))))
        }
      #endif
    }
  }
}

/// Impala's and Spark's legacy timestamps: nanoseconds of the day (8 bytes) then the
/// Julian day number (4 bytes), little-endian.
enum Int96 {
  static let julianDayOfEpoch: Int64 = 2_440_588
  static let nanosecondsPerDay: Int64 = 86_400_000_000_000

  static func nanoseconds(_ bytes: [UInt8], _ range: Range<Int>, count: Int) -> [Int64] {
    bytes.withUnsafeBytes { raw in
      (0..<count).map { index in
        let start = range.lowerBound + index * 12
        let nanos = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: Int64.self))
        let day = Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8, as: Int32.self)))
        // Wraps rather than traps on forged days: such values are outside any real range anyway.
        return (day &- julianDayOfEpoch) &* nanosecondsPerDay &+ nanos
      }
    }
  }
}
