import Foundation
import MeshBytes

#if canImport(Glibc)
  import Glibc
#endif

/// A file read in pieces that end at record boundaries, so that a text file of any size
/// is read with memory bounded by the piece (8 MiB, more for a record longer than that).
/// `boundary` says where the last whole record of some bytes ends.
final class FileChunks {
  static let pieceBytes = 8 << 20

  private let handle: FileHandle
  private let pieceBytes: Int
  private let boundary: (ArraySlice<UInt8>) -> Int?
  private var carried: [UInt8] = []
  private var ended = false

  init(path: String, pieceBytes: Int = FileChunks.pieceBytes, boundary: @escaping (ArraySlice<UInt8>) -> Int?) throws {
    handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    self.pieceBytes = max(1, pieceBytes)
    self.boundary = boundary
  }

  deinit { try? handle.close() }

  /// The next piece, nil at the end; the last one holds whatever the file ends with.
  func next() throws -> [UInt8]? {
    while true {
      if ended {
        defer { carried = [] }
        return carried.isEmpty ? nil : carried
      }
      // Read straight behind what was carried over, into the piece's own storage: the
      // bytes are not copied out of a Data, nor the piece out of the buffer.
      let kept = carried.count
      var failure: Int32 = 0
      var buffer = [UInt8](unsafeUninitializedCapacity: kept + pieceBytes) { storage, count in
        guard let base = storage.baseAddress else { return }
        carried.withUnsafeBufferPointer { old in
          if let source = old.baseAddress { base.initialize(from: source, count: kept) }
        }
        count = kept
        while count < kept + pieceBytes {
          let got = read(handle.fileDescriptor, base + count, kept + pieceBytes - count)
          if got < 0, errno == EINTR { continue }
          if got < 0 { failure = errno }
          if got <= 0 { break }
          count += got
        }
      }
      if failure != 0 { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO) }
      if buffer.count == kept {
        ended = true
        continue
      }
      // From the start: a boundary may depend on all before it (CSV's quotes).
      guard let end = boundary(buffer[...]), end > 0 else {
        carried = buffer
        continue
      }
      carried = Array(buffer[end...])
      buffer.removeSubrange(end...)
      return buffer
    }
  }

  /// The identity of a file's content, read in pieces.
  static func identity(path: String, relative: String) throws -> FileIdentity {
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var size: Int64 = 0
    var checksum: UInt32 = 0
    while let data = try handle.read(upToCount: pieceBytes), !data.isEmpty {
      size += Int64(data.count)
      checksum = data.withUnsafeBytes { CRC32C.checksum($0, continuing: checksum) }
    }
    return FileIdentity(path: relative, size: size, checksum: checksum)
  }
}
