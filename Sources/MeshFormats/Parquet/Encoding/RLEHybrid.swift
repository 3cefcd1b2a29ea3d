/// Parquet's RLE / bit-packing hybrid: definition and repetition levels, dictionary
/// indices and RLE booleans. Runs are a varint header: even for a repeated value (in
/// ⌈width/8⌉ bytes), odd for groups of eight values packed `width` bits each, LSB first.
enum RLEHybrid {
  /// The bits needed for values up to `maximum`.
  static func bitWidth(_ maximum: Int) -> Int { maximum <= 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount }

  /// Decodes `count` values (all of them below 2^width) and appends them.
  static func decode<T: FixedWidthInteger>(
    _ cursor: inout PageCursor, bitWidth width: Int, count: Int, into output: inout [T]
  ) throws(FormatError) {
    guard width >= 0, width <= 32 else { throw FormatError("a bit width of \(width) is not valid") }
    output.reserveCapacity(output.count + count)
    var left = count
    let valueBytes = (width + 7) / 8
    while left > 0 {
      let header = try cursor.varint()
      if header & 1 == 0 {
        let run = header >> 1
        guard run > 0 else { throw FormatError("an empty RLE run at byte \(cursor.offset)") }
        var value: UInt64 = 0
        for (shift, index) in try cursor.take(valueBytes).enumerated() {
          value |= UInt64(cursor.bytes[index]) << (8 * UInt64(shift))
        }
        guard let typed = T(exactly: value) else { throw FormatError("a run value \(value) is out of range") }
        let taken = Int(min(UInt64(left), run))
        output.append(contentsOf: repeatElement(typed, count: taken))
        left -= taken
      } else {
        let groups = header >> 1
        // A group takes `width` bytes: a forged count is bounded by the bytes left (or,
        // at width 0, by the values still wanted).
        guard width == 0 || groups <= UInt64(cursor.remaining) else {
          throw FormatError("a bit-packed run of \(groups) groups is longer than the page")
        }
        let values = width == 0 ? left : Int(groups) * 8
        // The last run may stop short of its padded length: the bytes must be there only
        // for the values used.
        let used = min(values, left)
        let range = try cursor.take(min(cursor.remaining, Int(groups) * width))
        try unpack(cursor.bytes, range, width: width, count: used, into: &output)
        left -= used
      }
    }
  }

  private static func unpack<T: FixedWidthInteger>(
    _ bytes: [UInt8], _ range: Range<Int>, width: Int, count: Int, into output: inout [T]
  ) throws(FormatError) {
    guard (count * width + 7) / 8 <= range.count else { throw FormatError("a bit-packed run ends early") }
    if width == 0 {
      output.append(contentsOf: repeatElement(0, count: count))
      return
    }
    let mask: UInt64 = (1 << UInt64(width)) - 1
    if width <= 32, width < T.bitWidth {
      // Every value fits: each read as one unaligned word at its bit offset while a whole
      // word lies within the buffer, then the last few a byte at a time.
      let unpacked = [T](unsafeUninitializedCapacity: count) { out, initialized in
        bytes.withUnsafeBytes { raw in
          var bit = 0
          for position in 0..<count {
            let first = range.lowerBound + bit >> 3
            let word: UInt64
            if first + 8 <= raw.count {
              word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: first, as: UInt64.self))
            } else {
              var tail: UInt64 = 0
              for offset in 0..<(raw.count - first) { tail |= UInt64(raw[first + offset]) << UInt64(8 * offset) }
              word = tail
            }
            out[position] = T(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += width
          }
        }
        initialized = count
      }
      output += unpacked
      return
    }
    var buffer: UInt64 = 0
    var bits = 0
    var index = range.lowerBound
    for _ in 0..<count {
      while bits < width {
        buffer |= UInt64(bytes[index]) << UInt64(bits)
        index += 1
        bits += 8
      }
      let value = buffer & mask
      buffer >>= UInt64(width)
      bits -= width
      guard let typed = T(exactly: value) else { throw FormatError("a packed value \(value) is out of range") }
      output.append(typed)
    }
  }

  /// Encodes values below 2^width: runs of eight or more equal values as RLE runs, the
  /// rest bit-packed in groups of eight, straight from `values` (no copy of the literals).
  static func encode<T: FixedWidthInteger>(_ values: [T], bitWidth width: Int, into out: inout [UInt8]) {
    var literalStart = 0
    var index = 0
    let count = values.count
    while index < count {
      let value = values[index]
      var run = 1
      while index + run < count, values[index + run] == value { run += 1 }
      if run >= 8 {
        // Bit-packed groups hold eight values: fill the open group from the run first.
        let pad = (8 - (index - literalStart) % 8) % 8
        if run - pad >= 8 {
          pack(values, literalStart..<index + pad, width: width, into: &out)
          writeVarint(UInt64(run - pad) << 1, into: &out)
          let raw = UInt64(truncatingIfNeeded: value)
          for shift in 0..<(width + 7) / 8 { out.append(UInt8(truncatingIfNeeded: raw >> UInt64(8 * shift))) }
          index += run
          literalStart = index
          continue
        }
      }
      index += run
    }
    pack(values, literalStart..<count, width: width, into: &out)
  }

  /// One bit-packed run of `values[range]`, its last group padded with zeros.
  private static func pack<T: FixedWidthInteger>(
    _ values: [T], _ range: Range<Int>, width: Int, into out: inout [UInt8]
  ) {
    guard !range.isEmpty else { return }
    let groups = (range.count + 7) / 8
    writeVarint(UInt64(groups) << 1 | 1, into: &out)
    // The run's bytes appended at once (eight values of `width` bits are `width` bytes),
    // then written in place: an append per byte, or reserving the exact size per run,
    // cost more than the packing.
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: groups * width))
    values.withUnsafeBufferPointer { values in
      out.withUnsafeMutableBufferPointer { out in
        var buffer: UInt64 = 0
        var bits = 0
        var at = start
        for slot in range.lowerBound..<range.lowerBound + groups * 8 {
          let value = slot < range.upperBound ? UInt64(truncatingIfNeeded: values[slot]) : 0
          buffer |= value << UInt64(bits)
          bits += width
          while bits >= 8 {
            out[at] = UInt8(truncatingIfNeeded: buffer)
            at += 1
            buffer >>= 8
            bits -= 8
          }
        }
      }
    }
  }

  static func writeVarint(_ value: UInt64, into out: inout [UInt8]) {
    var rest = value
    while rest >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    out.append(UInt8(rest))
  }
}
