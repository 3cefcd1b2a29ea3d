import MeshTestSupport
import Testing

@testable import MeshLog

/// Where consumers start: every `StartPosition` resolved per partition, with the rules
/// for offsets outside the log.
@Suite struct StartPositionTests {
  /// Two partitions: 0 holds offsets 0..<10 at timestamps 1000, 1010, …; 1 is empty.
  private func topic() throws -> (Log, Topic) {
    let log = try Log.open(directory: "/d", io: SimulatedFileIO(), clock: ManualClock(1_000_000))
    let topic = try log.createTopic("t", config: tinyConfig(partitions: 2))
    for index in 0..<10 { try topic.append([record(index, timestamp: 1000 + Int64(index) * 10)], partition: 0) }
    return (log, topic)
  }

  private func offsets(_ starts: [PartitionStart]) -> [Int: Offset] {
    Dictionary(uniqueKeysWithValues: starts.map { ($0.partition, $0.offset) })
  }

  @Test func earliestLatestAndAnOffset() throws {
    let (_, topic) = try topic()
    #expect(offsets(try topic.startOffsets(.earliest)) == [0: 0, 1: 0])
    #expect(offsets(try topic.startOffsets(.latest)) == [0: 10, 1: 0])
    #expect(offsets(try topic.startOffsets(.offset(4), partitions: [0])) == [0: 4])
    #expect(offsets(try topic.startOffsets(.offset(10), partitions: [0])) == [0: 10])
    #expect(try topic.startOffsets(.latest, partitions: [1, 0]).map(\.partition) == [1, 0])
  }

  @Test func anOffsetOutsideTheLogIsAnError() throws {
    let (_, topic) = try topic()
    #expect(throws: LogError.offsetOutOfRange(topic: "t", partition: 0, offset: 11, start: 0, end: 10)) {
      try topic.startOffsets(.offset(11), partitions: [0])
    }
    #expect(throws: LogError.unknownPartition(topic: "t", partition: 2, partitionCount: 2)) {
      try topic.startOffsets(.earliest, partitions: [2])
    }
  }

  @Test func aTimeFindsTheFirstRecordAtOrAfterIt() throws {
    let (_, topic) = try topic()
    #expect(offsets(try topic.startOffsets(.time(milliseconds: 0), partitions: [0])) == [0: 0])
    #expect(offsets(try topic.startOffsets(.time(milliseconds: 1030), partitions: [0])) == [0: 3])
    #expect(offsets(try topic.startOffsets(.time(milliseconds: 1031), partitions: [0])) == [0: 4])
    #expect(offsets(try topic.startOffsets(.time(milliseconds: 9999))) == [0: 10, 1: 0])
  }

  @Test func aGroupResumesWhereItCommittedElseAtItsFallback() throws {
    let (_, topic) = try topic()
    try topic.commit(group: "g", offsets: [0: 6])
    let starts = try topic.startOffsets(.committed(group: "g", otherwise: .earliest))
    #expect(offsets(starts) == [0: 6, 1: 0])
    #expect(starts.map(\.fromCommitted) == [true, false])
    #expect(starts.allSatisfy { $0.reset == nil })
    try topic.append([record(10)], partition: 1)
    #expect(offsets(try topic.startOffsets(.committed(group: "g", otherwise: .latest))) == [0: 6, 1: 1])
    #expect(offsets(try topic.startOffsets(.committed(group: "new", otherwise: .earliest))) == [0: 0, 1: 0])
  }

  @Test func aCommittedOffsetPastTheEndResetsToTheEnd() throws {
    let (_, topic) = try topic()
    try topic.commit(group: "g", offsets: [0: 50])
    let start = try #require(
      try topic.startOffsets(.committed(group: "g", otherwise: .earliest), partitions: [0]).first)
    #expect(start.offset == 10)
    #expect(start.reset == PartitionStart.Reset(committed: 50, start: 0, end: 10))
  }

  @Test func aCommittedOffsetRetentionDeletedResetsToTheStart() throws {
    let clock = ManualClock(1_000_000)
    let log = try Log.open(directory: "/d", io: SimulatedFileIO(), clock: clock)
    let topic = try log.createTopic("t", config: tinyConfig(segmentBytes: 300, retentionMs: 10_000))
    for index in 0..<40 { try topic.append([record(index, timestamp: clock.now())]) }
    try topic.commit(group: "g", offsets: [0: 2])
    clock.advance(by: 60_000)
    _ = try topic.partitions[0].enforceRetention()
    let first = topic.partitions[0].startOffset
    #expect(first > 2)
    let start = try #require(try topic.startOffsets(.committed(group: "g", otherwise: .latest)).first)
    #expect(start.offset == first)
    #expect(start.reset == PartitionStart.Reset(committed: 2, start: first, end: 40))
    #expect(start.fromCommitted)
  }

  @Test func aDamagedGroupFileIsAnError() throws {
    let (_, topic) = try topic()
    #expect(throws: LogError.self) { try topic.startOffsets(.committed(group: "bad name", otherwise: .earliest)) }
  }
}
