import Foundation

/// Which files a file input has consumed, by path: the identity of the content it read.
/// It goes into the product's checkpoint, so a restart neither reads a file twice nor
/// skips one; a file whose content changed since (its size or checksum) is read again.
/// Not thread-safe: one source owns it.
public struct FileTracker: Sendable, Hashable, Codable {
  public private(set) var consumed: [String: FileIdentity] = [:]

  public init() {}

  public mutating func markConsumed(_ identity: FileIdentity) { consumed[identity.path] = identity }

  /// Whether this content of the file was read already.
  public func hasConsumed(_ identity: FileIdentity) -> Bool { consumed[identity.path] == identity }

  /// Whether a file of this path and size was consumed (its content is not checked: a
  /// cheap guess at whether it is still to read, before reading it).
  public func mayHaveConsumed(path: String, size: Int64) -> Bool { consumed[path]?.size == size }

  /// The tracker as bytes for a checkpoint: JSON with sorted keys, so equal trackers give
  /// equal bytes.
  public func encoded() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try encoder.encode(self))
  }

  public static func decoded(_ bytes: [UInt8]) throws -> FileTracker {
    try JSONDecoder().decode(FileTracker.self, from: Data(bytes))
  }
}
