import CZstd
import Synchronization

/// zstd's C API, through contexts kept between calls: `ZSTD_compress` and a fresh stream
/// per call allocate a context every time — megabytes of tables to compress, a hundred
/// kilobytes to decompress — which cost a page's worth of work again in allocation and
/// page faults. Contexts are taken from a pool and put back (one per thread at work).
enum Zstd {
  /// Free contexts, as addresses (pointers are not `Sendable`).
  private static let compressors = Mutex<[UInt]>([])
  private static let decompressors = Mutex<[UInt]>([])

  static func compress(_ input: UnsafeRawBufferPointer, level: Int?) throws(CodecError) -> [UInt8] {
    guard
      let context = compressors.withLock({ $0.popLast() }).flatMap(OpaquePointer.init(bitPattern:)) ?? ZSTD_createCCtx()
    else { throw CodecError("zstd could not start compressing") }
    defer { compressors.withLock { $0.append(UInt(bitPattern: Int(bitPattern: context))) } }
    let bound = ZSTD_compressBound(input.count)
    var written = 0
    // Into uninitialized storage, as for snappy.
    let output = [UInt8](unsafeUninitializedCapacity: bound) { out, count in
      written = ZSTD_compressCCtx(
        context, out.baseAddress, bound, input.baseAddress, input.count, Int32(clamping: level ?? 3))
      count = ZSTD_isError(written) == 0 ? written : 0
    }
    guard ZSTD_isError(written) == 0 else {
      throw CodecError("zstd could not compress: \(String(cString: ZSTD_getErrorName(written)))")
    }
    return output
  }

  /// With `size` (Parquet pages record it) in one call into a buffer of that size; without
  /// (Avro blocks), streamed, so that frames without a recorded content size decode too.
  static func decompress(_ input: UnsafeRawBufferPointer, size: Int?, limit: Int) throws(CodecError) -> [UInt8] {
    guard
      let context = decompressors.withLock({ $0.popLast() }).flatMap(OpaquePointer.init(bitPattern:))
        ?? ZSTD_createDCtx()
    else { throw CodecError("zstd could not start decompressing") }
    defer { decompressors.withLock { $0.append(UInt(bitPattern: Int(bitPattern: context))) } }
    ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
    guard let size else { return try stream(input, limit: limit, context) }
    var result = 0
    let output = [UInt8](unsafeUninitializedCapacity: size) { out, count in
      result = ZSTD_decompressDCtx(context, out.baseAddress, size, input.baseAddress, input.count)
      count = ZSTD_isError(result) == 0 ? result : 0
    }
    guard ZSTD_isError(result) == 0 else {
      throw CodecError("zstd data is damaged: \(String(cString: ZSTD_getErrorName(result)))")
    }
    return output
  }

  private static func stream(
    _ input: UnsafeRawBufferPointer, limit: Int, _ stream: OpaquePointer
  ) throws(CodecError)
    -> [UInt8]
  {
    var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: min(limit + 1, max(64 * 1024, input.count * 4)))
    var finished = false
    while source.pos < source.size || !finished {
      let (result, produced) = chunk.withUnsafeMutableBytes { out -> (Int, Int) in
        var target = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
        let result = ZSTD_decompressStream(stream, &target, &source)
        return (result, target.pos)
      }
      guard ZSTD_isError(result) == 0 else {
        throw CodecError("zstd data is damaged: \(String(cString: ZSTD_getErrorName(result)))")
      }
      output.append(contentsOf: chunk[..<produced])
      guard output.count <= limit else { throw CodecError("zstd data expands past the \(limit) bytes it may hold") }
      finished = result == 0
      if !finished && produced == 0 && source.pos == source.size { throw CodecError("zstd data ends inside a frame") }
    }
    return output
  }
}
