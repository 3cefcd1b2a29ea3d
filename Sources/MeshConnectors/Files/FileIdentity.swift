import MeshBytes

/// What a file source remembers of a file it read: the path, and the size and checksum of
/// the content it read, so that a file rewritten under the same name is read again and
/// one that did not change is not.
public struct FileIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
  public var path: String
  public var size: Int64
  /// CRC-32C of the content.
  public var checksum: UInt32

  public init(path: String, size: Int64, checksum: UInt32) {
    self.path = path
    self.size = size
    self.checksum = checksum
  }

  public init(path: String, contents: [UInt8]) {
    self.init(path: path, size: Int64(contents.count), checksum: CRC32C.checksum(contents))
  }

  public var description: String { "\(path) (\(size) bytes, crc32c \(String(checksum, radix: 16)))" }
}
