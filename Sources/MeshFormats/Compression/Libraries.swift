import CLZ4
import CSnappy
import CZlib

/// Snappy's C API (snappy-c.h).
enum Snappy {
  static func compress(_ input: UnsafeRawBufferPointer) throws(CodecError) -> [UInt8] {
    let bound = snappy_max_compressed_length(input.count)
    var status = SNAPPY_OK
    // Into uninitialized storage: the bound is larger than the input, and zeroing it first
    // costs as much as a fast codec's work.
    let output = [UInt8](unsafeUninitializedCapacity: bound) { out, count in
      var length = bound
      status = snappy_compress(
        input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
        UnsafeMutableRawPointer(out.baseAddress)?.assumingMemoryBound(to: CChar.self), &length)
      count = status == SNAPPY_OK ? length : 0
    }
    guard status == SNAPPY_OK else { throw CodecError("snappy could not compress \(input.count) bytes") }
    return output
  }

  static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CodecError) -> [UInt8] {
    let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
    var length = 0
    guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK else {
      throw CodecError("snappy data is damaged (its length header cannot be read)")
    }
    guard length <= limit else {
      throw CodecError("snappy data claims \(length) bytes, more than the \(limit) it may hold")
    }
    var output = [UInt8](repeating: 0, count: length)
    let status = output.withUnsafeMutableBytes { out in
      snappy_uncompress(source, input.count, out.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
    }
    guard status == SNAPPY_OK else { throw CodecError("snappy data is damaged") }
    return output
  }
}

/// zlib, for the gzip format and raw deflate.
enum Zlib {
  enum Format {
    case gzip, raw

    /// zlib's `windowBits`: 15 for the largest window, +16 for a gzip wrapper, negated for none.
    var windowBits: Int32 { self == .gzip ? 31 : -15 }
  }

  static func compress(_ input: UnsafeRawBufferPointer, format: Format, level: Int?) throws(CodecError) -> [UInt8] {
    var stream = z_stream()
    let level = Int32(clamping: level ?? 6)
    guard
      deflateInit2_(
        &stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
        Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { throw CodecError("zlib could not start compressing") }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
    let status = output.withUnsafeMutableBytes { out -> Int32 in
      stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
      stream.avail_in = UInt32(input.count)
      stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
      stream.avail_out = UInt32(out.count)
      return deflate(&stream, Z_FINISH)
    }
    guard status == Z_STREAM_END else { throw CodecError("zlib could not compress \(input.count) bytes") }
    output.removeSubrange(Int(stream.total_out)...)
    return output
  }

  static func decompress(_ input: UnsafeRawBufferPointer, format: Format, limit: Int) throws(CodecError) -> [UInt8] {
    var stream = z_stream()
    guard inflateInit2_(&stream, format.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw CodecError("zlib could not start decompressing")
    }
    defer { inflateEnd(&stream) }
    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = UInt32(clamping: input.count)
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: min(limit + 1, max(64 * 1024, input.count * 4)))
    while true {
      let (status, produced) = chunk.withUnsafeMutableBytes { out -> (Int32, Int) in
        stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(out.count)
        let status = inflate(&stream, Z_NO_FLUSH)
        return (status, out.count - Int(stream.avail_out))
      }
      output.append(contentsOf: chunk[..<produced])
      guard output.count <= limit else { throw CodecError("deflate data expands past the \(limit) bytes it may hold") }
      if status == Z_STREAM_END {
        // gzip allows several members back to back (RFC 1952 §2.2); some writers make them.
        guard format == .gzip, stream.avail_in > 0 else { return output }
        guard inflateReset(&stream) == Z_OK else { throw CodecError("zlib could not read the next gzip member") }
        continue
      }
      guard status == Z_OK else { throw CodecError("deflate data is damaged (zlib status \(status))") }
      if produced == 0 && stream.avail_in == 0 { throw CodecError("deflate data ends before its end marker") }
    }
  }
}

enum LZ4 {
  static func compress(_ input: UnsafeRawBufferPointer) throws(CodecError) -> [UInt8] {
    guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else { throw CodecError("lz4 takes at most 2 GB at once") }
    var output = [UInt8](repeating: 0, count: Int(LZ4_compressBound(Int32(input.count))))
    let written = output.withUnsafeMutableBytes { out in
      LZ4_compress_default(
        input.baseAddress?.assumingMemoryBound(to: CChar.self), out.baseAddress?.assumingMemoryBound(to: CChar.self),
        Int32(input.count), Int32(out.count))
    }
    guard written > 0 || input.isEmpty else { throw CodecError("lz4 could not compress \(input.count) bytes") }
    output.removeSubrange(Int(written)...)
    return output
  }

  static func decompress(_ input: UnsafeRawBufferPointer, size: Int) throws(CodecError) -> [UInt8] {
    guard input.count <= Int(Int32.max), size <= Int(Int32.max) else { throw CodecError("lz4 block too large") }
    var output = [UInt8](repeating: 0, count: size)
    let produced = output.withUnsafeMutableBytes { out in
      LZ4_decompress_safe(
        input.baseAddress?.assumingMemoryBound(to: CChar.self), out.baseAddress?.assumingMemoryBound(to: CChar.self),
        Int32(input.count), Int32(out.count))
    }
    guard produced == Int32(size) else { throw CodecError("lz4 data is damaged") }
    return output
  }
}

/// Parquet's deprecated LZ4 codec as Hadoop writes it: frames of a big-endian
/// decompressed size, a big-endian compressed size and an LZ4 block. Some writers put a
/// bare block instead, so a buffer that is not framed is read as one.
enum HadoopLZ4 {
  static func compress(_ input: UnsafeRawBufferPointer) throws(CodecError) -> [UInt8] {
    let block = try LZ4.compress(input)
    var output: [UInt8] = []
    output.reserveCapacity(block.count + 8)
    for size in [UInt32(input.count), UInt32(block.count)] {
      output.append(contentsOf: (0..<4).map { UInt8(truncatingIfNeeded: size >> (24 - 8 * UInt32($0))) })
    }
    return output + block
  }

  static func decompress(_ input: UnsafeRawBufferPointer, size: Int) throws(CodecError) -> [UInt8] {
    if let framed = try? frames(input, size: size) { return framed }
    return try LZ4.decompress(input, size: size)
  }

  private static func frames(_ input: UnsafeRawBufferPointer, size: Int) throws(CodecError) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(size)
    var offset = 0
    func bigEndian(_ at: Int) -> Int { (0..<4).reduce(0) { $0 << 8 | Int(input[at + $1]) } }
    while offset < input.count {
      guard input.count - offset >= 8 else { throw CodecError("an LZ4 frame header is cut short") }
      let expanded = bigEndian(offset)
      let compressed = bigEndian(offset + 4)
      offset += 8
      guard compressed <= input.count - offset, expanded <= size - output.count else {
        throw CodecError("an LZ4 frame claims more bytes than there are")
      }
      output += try LZ4.decompress(
        UnsafeRawBufferPointer(rebasing: input[offset..<offset + compressed]), size: expanded)
      offset += compressed
    }
    guard output.count == size else { throw CodecError("LZ4 frames hold \(output.count) bytes, not \(size)") }
    return output
  }
}

/// zlib's CRC-32 (the one Avro's snappy blocks end with).
enum CRC32 {
  static func of(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    UInt32(crc32(0, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), UInt32(clamping: bytes.count)))
  }
}
