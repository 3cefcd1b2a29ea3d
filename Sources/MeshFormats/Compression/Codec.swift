/// The compressions of Parquet pages and Avro blocks, each through its Debian library.
public enum Codec: String, Sendable, Hashable, CaseIterable {
  case none
  case snappy
  /// The gzip format (RFC 1952): what Parquet's GZIP means.
  case gzip
  /// Raw deflate (RFC 1951) without header: what Avro's `deflate` means.
  case deflate
  case zstd
  /// LZ4 blocks without the frame format: Parquet's LZ4_RAW.
  case lz4Raw = "lz4_raw"
  /// Parquet's deprecated LZ4: Hadoop's framing of LZ4 blocks (read, and written when asked).
  case lz4Hadoop = "lz4"
}

/// Why bytes could not be compressed or decompressed.
public struct CodecError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

extension Codec {
  /// Forged sizes must not make a reader allocate without bound: no page or block may
  /// claim to expand its compressed bytes more than this (zstd's and deflate's limits
  /// are about 1000:1 on real data; runs of one byte reach more, so the slack is generous).
  static let largestRatio = 4096
  static let smallestLimit = 1 << 20

  /// The most bytes that `compressedCount` bytes may decompress to.
  public static func decompressedLimit(forCompressed compressedCount: Int) -> Int {
    max(smallestLimit, compressedCount.multipliedReportingOverflow(by: largestRatio).partialValue)
  }

  public func compress(_ input: UnsafeRawBufferPointer, level: Int? = nil) throws(CodecError) -> [UInt8] {
    switch self {
    case .none: return Array(input)
    case .snappy: return try Snappy.compress(input)
    case .gzip: return try Zlib.compress(input, format: .gzip, level: level)
    case .deflate: return try Zlib.compress(input, format: .raw, level: level)
    case .zstd: return try Zstd.compress(input, level: level)
    case .lz4Raw: return try LZ4.compress(input)
    case .lz4Hadoop: return try HadoopLZ4.compress(input)
    }
  }

  public func compress(_ input: [UInt8], level: Int? = nil) throws(CodecError) -> [UInt8] {
    let result = input.withUnsafeBytes { bytes in Result { () throws(CodecError) in try compress(bytes, level: level) }
    }
    return try result.get()
  }

  /// Decompresses `input`; `size` is the decompressed size when the container records it
  /// (Parquet pages do), and the result must have exactly that size.
  public func decompress(_ input: UnsafeRawBufferPointer, size: Int?) throws(CodecError) -> [UInt8] {
    let limit = Self.decompressedLimit(forCompressed: input.count)
    if let size, size < 0 || size > limit {
      throw CodecError("a decompressed size of \(size) bytes for \(input.count) compressed bytes is not believable")
    }
    let output: [UInt8]
    switch self {
    case .none: output = Array(input)
    case .snappy: output = try Snappy.decompress(input, limit: size ?? limit)
    case .gzip: output = try Zlib.decompress(input, format: .gzip, limit: size ?? limit)
    case .deflate: output = try Zlib.decompress(input, format: .raw, limit: size ?? limit)
    case .zstd: output = try Zstd.decompress(input, size: size, limit: size ?? limit)
    case .lz4Raw:
      guard let size else { throw CodecError("lz4_raw needs the decompressed size") }
      output = try LZ4.decompress(input, size: size)
    case .lz4Hadoop:
      guard let size else { throw CodecError("lz4 needs the decompressed size") }
      output = try HadoopLZ4.decompress(input, size: size)
    }
    if let size, output.count != size {
      throw CodecError("\(rawValue) data decompressed to \(output.count) bytes, not the \(size) recorded")
    }
    return output
  }

  public func decompress(_ input: ArraySlice<UInt8>, size: Int?) throws(CodecError) -> [UInt8] {
    let result = input.withUnsafeBytes { bytes in Result { () throws(CodecError) in try decompress(bytes, size: size) }
    }
    return try result.get()
  }
}
