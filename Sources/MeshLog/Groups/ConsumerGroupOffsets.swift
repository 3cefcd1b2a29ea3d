import MeshBytes

/// The committed offsets of one consumer group on one topic: for each partition, the
/// next offset the group will read. Stored in `<topic>/groups/<group>.offsets`, replaced
/// atomically and durably on every commit (write a temporary file, sync, rename, sync
/// the directory), so a crash leaves the previous commit or the new one.
///
/// Layout (little-endian; NEVER REORDER FIELDS):
///
/// | offset | size | field     | meaning                                         |
/// |-------:|-----:|-----------|-------------------------------------------------|
/// |      0 |    4 | magic     | `MXCG`                                          |
/// |      4 |    1 | version   | 1                                               |
/// |      5 |    3 | reserved  | 0                                               |
/// |      8 |    4 | count     | UInt32: number of entries                       |
/// |     12 | 12·n | entries   | per entry: partition UInt32, next offset Int64  |
/// |  end−4 |    4 | crc       | CRC-32C of every byte before it                 |
public enum ConsumerGroupOffsets {
  static let magic: [UInt8] = Array("MXCG".utf8)
  static let version: UInt8 = 1
  static let fileExtension = ".offsets"

  static func encode(_ offsets: [Int: Offset]) -> [UInt8] {
    var writer = ByteWriter(capacity: 16 + offsets.count * 12)
    writer.write(magic)
    writer.write(version)
    writer.write([0, 0, 0] as [UInt8])
    writer.writeLittleEndian(UInt32(offsets.count))
    for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) {
      writer.writeLittleEndian(UInt32(partition))
      writer.writeLittleEndian(offset.value)
    }
    writer.writeLittleEndian(CRC32C.checksum(writer.bytes))
    return writer.bytes
  }

  /// Decodes a file; nil when it is damaged.
  static func decode(_ bytes: [UInt8]) -> [Int: Offset]? {
    guard bytes.count >= 16, Array(bytes[0..<4]) == magic, bytes[4] == version else { return nil }
    var reader = ByteReader(bytes)
    do {
      try reader.skip(8)
      let count = Int(try reader.readLittleEndian(UInt32.self))
      guard bytes.count == 12 + count * 12 + 4 else { return nil }
      var offsets: [Int: Offset] = [:]
      for _ in 0..<count {
        let partition = Int(try reader.readLittleEndian(UInt32.self))
        let offset = try reader.readLittleEndian(Int64.self)
        guard offset >= 0 else { return nil }
        offsets[partition] = Offset(offset)
      }
      let crc = try reader.readLittleEndian(UInt32.self)
      guard CRC32C.checksum(bytes[0..<(bytes.count - 4)]) == crc else { return nil }
      return offsets
    } catch {
      return nil
    }
  }
}

extension Topic {
  private var groupsPath: String { LogPath.join(directory, Topic.groupsDirectory) }

  private func groupPath(_ group: String) -> String {
    LogPath.join(groupsPath, group + ConsumerGroupOffsets.fileExtension)
  }

  /// The consumer groups with committed offsets on this topic, sorted.
  public func groups() -> [String] {
    guard let names = try? io.contents(ofDirectory: groupsPath) else { return [] }
    return names.compactMap { name -> String? in
      guard name.hasSuffix(ConsumerGroupOffsets.fileExtension) else { return nil }
      let group = String(name.dropLast(ConsumerGroupOffsets.fileExtension.count))
      return TopicName.problem(with: group, kind: .group) == nil ? group : nil
    }.sorted()
  }

  /// The group's committed offsets by partition (empty when it never committed).
  public func committedOffsets(group: String) throws(LogError) -> [Int: Offset] {
    try TopicName.validate(group, kind: .group)
    let path = groupPath(group)
    let bytes: [UInt8]?
    do {
      bytes = try io.readSmallFile(path)
    } catch {
      throw .io(error)
    }
    guard let bytes else { return [:] }
    guard let offsets = ConsumerGroupOffsets.decode(bytes) else {
      throw .damagedGroupOffsets(topic: name, group: group, path: path, reason: "the file is damaged")
    }
    return offsets
  }

  /// Commits the group's next offsets for the given partitions (others keep their
  /// committed values), atomically and durably. Works on read-only topics too: offsets
  /// belong to the consumer, not to the writer.
  public func commit(group: String, offsets: [Int: Offset]) throws(LogError) {
    try TopicName.validate(group, kind: .group)
    for (partition, offset) in offsets {
      guard partitions.indices.contains(partition) else {
        throw .unknownPartition(topic: name, partition: partition, partitionCount: partitions.count)
      }
      guard offset.value >= 0 else {
        throw .offsetOutOfRange(
          topic: name, partition: partition, offset: offset, start: Offset(0), end: partitions[partition].endOffset)
      }
    }
    var merged = (try? committedOffsets(group: group)) ?? [:]
    merged.merge(offsets) { _, new in new }
    do {
      try io.createDirectory(groupsPath)
      try io.writeAtomically(
        ConsumerGroupOffsets.encode(merged), to: groupPath(group), temporarySuffix: ".tmp-\(ProcessIdentity.current)")
    } catch {
      throw .io(error)
    }
  }
}
