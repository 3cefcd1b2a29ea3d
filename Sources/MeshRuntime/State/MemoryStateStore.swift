public import Foundation
import MeshBytes

/// State in a dictionary, checkpointed whole into `memory.state` — for state small enough
/// that writing it all at each checkpoint costs less than keeping it on disk.
///
/// `memory.state`, little-endian, never reorder the fields:
///
/// | bytes | field |
/// |---|---|
/// | 4 | magic `MSTA` |
/// | 1 | version, 1 |
/// | varint | entries |
/// | per entry | key length (varint), key, value length (varint), value — keys in byte order |
/// | 4 | CRC-32C of everything before |
public final class MemoryStateStore: StateStore {
  static let fileName = "memory.state"
  private static let magic: [UInt8] = Array("MSTA".utf8)
  private static let version: UInt8 = 1

  private var entries: [[UInt8]: [UInt8]] = [:]
  public private(set) var memoryBytes = 0

  public init() {}

  /// The store a checkpoint holds in `directory`.
  public init(checkpoint directory: URL) throws(RunFailure) {
    let path = directory.appendingPathComponent(Self.fileName).path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw RunFailure("the checkpointed state \(path) is missing")
    }
    let bytes = [UInt8](data)
    let damaged = RunFailure("the checkpointed state \(path) is damaged")
    guard bytes.count >= 9, Array(bytes.prefix(4)) == Self.magic, bytes[4] == Self.version else { throw damaged }
    let body = bytes.count - 4
    var trailer = ByteReader(bytes, offset: body)
    let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[..<body])) }
    guard (try? trailer.readLittleEndian(UInt32.self)) == computed else { throw damaged }
    var reader = ByteReader(bytes, offset: 5, end: body)
    do throws(ByteReaderError) {
      let count = try reader.readVarint()
      for _ in 0..<count {
        let key = Array(try reader.readBytes(Int(clamping: try reader.readVarint())))
        let value = Array(try reader.readBytes(Int(clamping: try reader.readVarint())))
        entries[key] = value
        memoryBytes += key.count + value.count
      }
    } catch {
      throw damaged
    }
  }

  public var count: Int { entries.count }

  public func value(for key: [UInt8]) -> [UInt8]? { entries[key] }

  public func apply(_ changes: [(key: [UInt8], value: [UInt8]?)]) {
    for (key, value) in changes {
      let old = value.map { entries.updateValue($0, forKey: key) } ?? entries.removeValue(forKey: key)
      if let old { memoryBytes -= key.count + old.count }
      if let value { memoryBytes += key.count + value.count }
    }
  }

  public func forEachEntry(_ body: ([UInt8], [UInt8]) throws(RunFailure) -> Void) throws(RunFailure) {
    for (key, value) in entries.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) { try body(key, value) }
  }

  public func checkpoint(into directory: URL) throws(RunFailure) {
    var out = ByteWriter()
    out.write(Self.magic)
    out.write(Self.version)
    out.writeVarint(UInt64(entries.count))
    try forEachEntry { key, value in
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
}
