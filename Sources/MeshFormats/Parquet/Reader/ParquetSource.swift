#if canImport(Glibc)
  import Glibc
#endif

/// Where a Parquet file's bytes come from: the reader asks for the footer, then for the
/// column chunks it needs, so a file on disk is never read whole.
public protocol ParquetSource {
  var size: Int64 { get }
  func read(offset: Int64, count: Int) throws(FormatError) -> [UInt8]
}

/// A file already in memory.
public struct ParquetBytes: ParquetSource {
  public let bytes: [UInt8]

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  public var size: Int64 { Int64(bytes.count) }

  public func read(offset: Int64, count: Int) throws(FormatError) -> [UInt8] {
    guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
      throw FormatError("bytes \(offset)..<\(offset + Int64(count)) are outside the file's \(size)")
    }
    return Array(bytes[Int(offset)..<Int(offset) + count])
  }
}

/// A file on disk, read with pread.
public final class ParquetFile: ParquetSource {
  private let descriptor: Int32
  public let size: Int64

  public init(path: String) throws(FormatError) {
    descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw FormatError("cannot open: \(String(cString: strerror(errno)))") }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      close(descriptor)
      throw FormatError("cannot stat: \(String(cString: strerror(errno)))")
    }
    size = Int64(status.st_size)
  }

  deinit { close(descriptor) }

  public func read(offset: Int64, count: Int) throws(FormatError) -> [UInt8] {
    guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
      throw FormatError("bytes \(offset)..<\(offset + Int64(count)) are outside the file's \(size)")
    }
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let got = bytes.withUnsafeMutableBytes { buffer in
        pread(descriptor, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset) + off_t(done))
      }
      if got < 0, errno == EINTR { continue }
      guard got > 0 else { throw FormatError("reading at byte \(offset + Int64(done)) failed") }
      done += got
    }
    return bytes
  }
}
