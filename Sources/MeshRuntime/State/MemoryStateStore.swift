public import Foundation
import MeshBytes

/// State in a dictionary, checkpointed whole into `memory.state` — for state small enough
/// that writing it all at each checkpoint costs less than keeping it on disk. (`KeyedState`
/// keeps small state decoded instead, and writes the same file.)
///
/// `memory.state`, little-endian, never reorder the fields:
///
/// | bytes | field |
/// |---|---|
/// | 4 | magic `MSTA` |
/// | 1 | version, 1 |
/// | varint | entries |
/// | per entry | key length (varint), key, value length (varint), value — in no order |
/// | 4 | CRC-32C of everything before |
public final class MemoryStateStore: StateStore {
  static let fileName = "memory.state"
  private static let magic: [UInt8] = Array("MSTA".utf8)
  private static let version: UInt8 = 1

  private var entries: [[UInt8]: [UInt8]] = [:]

  public init() {}

  /// The store a checkpoint holds in `directory`.
  public init(checkpoint directory: URL) throws(RunFailure) {
    try Self.read(checkpoint: directory) { key, value in entries[key] = value }
  }

  /// The entries of the checkpoint in `directory`, one by one.
  static func read(
    checkpoint directory: URL, _ body: ([UInt8], [UInt8]) throws(RunFailure) -> Void
  ) throws(RunFailure) {
    let path = directory.appendingPathComponent(Self.fileName).path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw RunFailure("the checkpointed state \(path) is missing")
    }
    let bytes = [UInt8](data)
    let damaged = RunFailure("the checkpointed state \(path) is damaged")
    guard bytes.count >= 9, Array(bytes.prefix(4)) == Self.magic, bytes[4] == Self.version else { throw damaged }
    let checksummed = bytes.count - 4
    var trailer = ByteReader(bytes, offset: checksummed)
    let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[..<checksummed])) }
    guard (try? trailer.readLittleEndian(UInt32.self)) == computed else { throw damaged }
    var reader = ByteReader(bytes, offset: 5, end: checksummed)
    guard var left = try? reader.readVarint() else { throw damaged }
    while left > 0 {
      let key: [UInt8]
      let value: [UInt8]
      do throws(ByteReaderError) {
        key = Array(try reader.readBytes(Int(clamping: try reader.readVarint())))
        value = Array(try reader.readBytes(Int(clamping: try reader.readVarint())))
      } catch {
        throw damaged
      }
      try body(key, value)
      left -= 1
    }
  }

  /// Writes `count` entries, as `entries` gives them, into `directory` as a checkpoint, synced.
  static func write(
    count: Int, into directory: URL, _ entries: ((_ key: [UInt8], _ value: [UInt8]) -> Void) -> Void
  ) throws(RunFailure) {
    var out = ByteWriter()
    out.write(Self.magic)
    out.write(Self.version)
    out.writeVarint(UInt64(count))
    entries { key, value in
      out.writeVarint(UInt64(key.count))
      out.write(key)
      out.writeVarint(UInt64(value.count))
      out.write(value)
    }
    out.writeLittleEndian(out.bytes.withUnsafeBytes { CRC32C.checksum($0) })
    try StateFiles.createDirectory(directory)
    try CheckpointStore.writeSynced(out.bytes, to: directory.appendingPathComponent(Self.fileName).path)
    CheckpointStore.syncDirectory(directory.path)
  }

  public var count: Int { entries.count }

  public func value(for key: [UInt8]) -> [UInt8]? { entries[key] }

  public func apply(_ changes: [(key: [UInt8], value: [UInt8]?)]) {
    for (key, value) in changes { entries[key] = value }
  }

  public func forEachEntry(_ body: ([UInt8], [UInt8]) throws(RunFailure) -> Void) throws(RunFailure) {
    for (key, value) in entries { try body(key, value) }
  }

  public func checkpoint(into directory: URL) throws(RunFailure) {
    try Self.write(count: entries.count, into: directory) { write in
      for (key, value) in entries { write(key, value) }
    }
  }
}
