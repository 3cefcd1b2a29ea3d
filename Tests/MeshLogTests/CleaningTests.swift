import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

/// Retention and compaction specifics that the model test does not pin down.
@Suite struct CleaningTests {
  @Test func retentionDeletesWholeOldSegmentsButNeverTheActiveOne() throws {
    let clock = ManualClock(1_000_000)
    let log = try Log.open(directory: "/d", io: SimulatedFileIO(), clock: clock)
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 300, retentionMs: 10_000)).partition(0)
    for index in 0..<40 { try partition.append([record(index, timestamp: clock.now())]) }
    let segments = partition.snapshot().segmentCount
    #expect(segments > 4)
    clock.advance(by: 60_000)
    let result = try partition.enforceRetention()
    #expect(result.deletedSegments == segments - 1)
    #expect(partition.snapshot().segmentCount == 1)
    #expect(partition.startOffset == partition.snapshot().active.baseOffset)
    // The active segment's records are still there, however old.
    #expect(try readAll(partition).map(\.offset) == (partition.startOffset.value..<40).map { Offset($0) })
  }

  @Test func sizeRetentionKeepsAtLeastTheLimit() throws {
    let log = try Log.open(directory: "/d", io: SimulatedFileIO(), clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 300, retentionBytes: 1000)).partition(0)
    for index in 0..<60 { try partition.append([record(index)]) }
    try partition.enforceRetention()
    let size = partition.snapshot().sizeInBytes
    #expect(size >= 1000)
    #expect(size - (partition.segmentSummaries.first?.bytes ?? 0) < 1000)
  }

  @Test func compactionKeepsTheLatestRecordPerKeyAndItsOffset() throws {
    let clock = ManualClock(1_000_000)
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/d", io: io, clock: clock)
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 250, cleanup: .compact)).partition(0)
    for round in 0..<10 {
      for key in ["a", "b", "c"] {
        try partition.append([Record(key: Array(key.utf8), value: Array("\(key)\(round)".utf8), timestamp: clock.now())]
        )
      }
    }
    try partition.append([Record(key: Array("b".utf8), value: nil, timestamp: clock.now())])  // tombstone, offset 30
    try partition.roll()
    try partition.append([Record(key: Array("z".utf8), value: Array("z".utf8))])
    let result = try partition.compact()
    // Nine 'a's and nine 'c's are superseded; all ten 'b's by the tombstone.
    #expect(result.removedRecords == 28)
    let left = try readAll(partition)
    #expect(left.map(\.offset) == [Offset(27), Offset(29), Offset(30), Offset(31)])
    #expect(left.map { $0.value.map { String(decoding: $0, as: UTF8.self) } } == ["a9", "c9", nil, "z"])
    // The tombstone survives its grace period, then goes.
    clock.advance(by: 2000)
    try partition.roll()
    try partition.compact()
    #expect(try readAll(partition).map(\.offset) == [Offset(27), Offset(29), Offset(31)])
    // Compacted segments survive a crash and stay compacted.
    io.crash()
    let reopened = try Log.open(directory: "/d", io: io, clock: clock).topic("t").partition(0)
    #expect(try readAll(reopened).map(\.offset) == [Offset(27), Offset(29), Offset(31)])

  }

  @Test func compactionNeitherBlocksNorDisturbsReadersAndTheWriter() throws {
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/d", io: io, clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 400, cleanup: .compact)).partition(0)
    for index in 0..<200 { try partition.append([Record(key: [UInt8(index % 5)], value: Array("v\(index)".utf8))]) }
    // A reader in the middle of an old segment keeps reading the old file.
    let reader = try partition.reader(from: Offset(0))
    let firstHalf = try reader.read(maxRecords: 3)
    #expect(firstHalf.map(\.offset) == [Offset(0), Offset(1), Offset(2)])
    try partition.compact()
    // It finishes the segment it holds (uncompacted), then sees compacted segments.
    let rest = try readAllFrom(reader)
    #expect(rest.first?.offset == Offset(3))
    #expect(rest.count < 197)
    // The writer kept its place.
    #expect(try partition.append([Record(key: [9], value: [9])]) == Offset(200)..<Offset(201))
    #expect(partition.checkInvariants() == [])
  }

  private func readAllFrom(_ reader: PartitionReader) throws -> [StoredRecord] {
    var all: [StoredRecord] = []
    while true {
      let next = try reader.read(maxRecords: 50)
      if next.isEmpty { return all }
      all += next
    }
  }

  @Test func maintenanceCompactsOnceHalfTheClosedBytesAreDirty() throws {
    let log = try Log.open(directory: "/d", io: SimulatedFileIO(), clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 300, cleanup: .compact)).partition(0)
    #expect(try partition.maintain() == .nothingToDo)
    for index in 0..<60 { try partition.append([Record(key: [UInt8(index % 3)], value: [UInt8(index)])]) }
    guard case .compaction(let result) = try partition.maintain() else {
      Issue.record("expected a compaction")
      return
    }
    #expect(result.removedRecords > 0)
    // Right after, nothing is dirty.
    #expect(try partition.maintain() == .nothingToDo)
  }
}
