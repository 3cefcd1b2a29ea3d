import Foundation
import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

/// Batches whose offsets have gaps, as Kafka's compaction writes them: a batch may declare
/// a last offset past its last record. Readers used to spin forever on such a batch.
@Suite struct OffsetGapTests {
  /// One topic whose only batch holds offsets 0…5 but declares its last offset as 9.
  static func gappedLog() throws -> String {
    let directory = try Fixtures.makeTemporaryDirectory("offset-gaps").path
    let log = try Log.open(directory: directory)
    let partition = try log.createTopic("t", config: tinyConfig()).partition(0)
    try partition.append((0..<6).map { record($0, timestamp: 1000 + Int64($0)) })
    try log.close()
    let folder = directory + "/topics/t/0"
    let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".log") })
    let url = URL(fileURLWithPath: folder + "/" + name)
    var bytes = [UInt8](try Data(contentsOf: url))
    bytes.replaceSubrange(20..<24, with: [9, 0, 0, 0])
    let bodyLength = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
    let crc = bytes[8..<(8 + bodyLength)].withUnsafeBytes { CRC32C.checksum($0) }
    bytes.replaceSubrange(4..<8, with: (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) })
    try Data(bytes).write(to: url)
    for index in try FileManager.default.contentsOfDirectory(atPath: folder) where !index.hasSuffix(".log") {
      try? FileManager.default.removeItem(atPath: folder + "/" + index)
    }
    return directory
  }

  @Test func readersStepOverTheGapAtTheEndOfABatch() throws {
    let directory = try Self.gappedLog()
    let log = try Log.open(directory: directory)
    let partition = try log.topic("t").partition(0)
    #expect(partition.snapshot().endOffset == Offset(10))
    let reader = try partition.reader(from: Offset(0))
    #expect(try reader.read(maxRecords: 100).map(\.offset.value) == [0, 1, 2, 3, 4, 5])
    #expect(try reader.read(maxRecords: 100).isEmpty)
    var seen: [Int64] = []
    let again = try partition.reader(from: Offset(3))
    for _ in 0..<5 {
      try again.forEachRecord(maxRecords: 1) { record in
        seen.append(record.offset.value)
        return true
      }
    }
    #expect(seen == [3, 4, 5])
    let byTime = try partition.reader(from: Offset(0))
    try byTime.seek(toTimestamp: 1003)
    #expect(try byTime.read(maxRecords: 100).map(\.offset.value) == [3, 4, 5])
    // New records take offsets after the declared end, never inside the gap.
    try partition.append([record(99)])
    #expect(try partition.reader(from: Offset(6)).read(maxRecords: 10).map(\.offset.value) == [10])
    try log.close()
  }

  /// An empty segment file named like an offset near Int64.max used to trap the next
  /// append on arithmetic overflow, then became the active segment and made new offsets
  /// jump. Now it is a stray the partition record does not know: left alone, reported,
  /// and the next append gets the next offset.
  @Test func aStraySegmentPastTheEndIsLeftAloneAndReported() throws {
    let directory = try Fixtures.makeTemporaryDirectory("offset-gaps").path
    let log = try Log.open(directory: directory)
    try log.createTopic("t", config: tinyConfig()).partition(0).append([record(0)])
    try log.close()
    let stray = directory + "/topics/t/0/09223372036854775807.log"
    _ = FileManager.default.createFile(atPath: stray, contents: Data())
    let reopened = try Log.open(directory: directory)
    let partition = try reopened.topic("t").partition(0)
    #expect(partition.strays == [stray])
    #expect(try partition.append([record(1)]) == Offset(1)..<Offset(2))
    try reopened.close()
    #expect(FileManager.default.fileExists(atPath: stray))
  }

  /// A partition record forged to put the active segment near Int64.max: the append is
  /// refused as damage, not an arithmetic trap.
  @Test func anAppendPastTheLastOffsetIsRefusedNotATrap() throws {
    let directory = try Fixtures.makeTemporaryDirectory("offset-gaps").path
    let log = try Log.open(directory: directory)
    try log.createTopic("t", config: tinyConfig()).partition(0).append([record(0)])
    try log.close()
    let folder = directory + "/topics/t/0/"
    var forged = PartitionRecord.empty
    forged.active = Offset(Int64.max)
    forged.acknowledged = Offset(Int64.max)
    let size = try FileManager.default.attributesOfItem(atPath: folder + "00000000000000000000.log")[.size] as? Int
    forged.sealed = [.init(base: Offset(0), end: Offset(1), bytes: Int64(size ?? 0), cleaning: nil)]
    try Data(forged.encoded()).write(to: URL(fileURLWithPath: folder + PartitionRecord.fileName))
    _ = FileManager.default.createFile(atPath: folder + "09223372036854775807.log", contents: Data())
    let reopened = try Log.open(directory: directory)
    let partition = try reopened.topic("t").partition(0)
    #expect {
      try partition.append([record(1)])
    } throws: { error in
      guard case .offsetsExhausted = error as? LogError else { return false }
      return true
    }
    try reopened.close()
  }
}
