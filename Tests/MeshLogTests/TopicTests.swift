import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

@Suite struct TopicTests {
  @Test func createListDescribeDelete() throws {
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    try log.createTopic("sales.orders", config: tinyConfig(partitions: 3))
    try log.createTopic("b-topic_2", config: tinyConfig())
    #expect(try log.topicNames() == ["b-topic_2", "sales.orders"])
    #expect(try log.topic("sales.orders").partitions.count == 3)
    #expect(throws: LogError.topicExists("sales.orders")) { try log.createTopic("sales.orders", config: tinyConfig()) }
    try log.deleteTopic("b-topic_2")
    #expect(try log.topicNames() == ["sales.orders"])
    let error = #expect(throws: LogError.self) { try log.topic("sales.order") }
    #expect(error == .unknownTopic("sales.order", known: ["sales.orders"]))
    #expect(throws: LogError.self) { try log.deleteTopic("nope") }
  }

  @Test(arguments: ["", ".hidden", "has space", "slash/inside", "ünicode", String(repeating: "a", count: 250), ".."])
  func invalidTopicNamesAreRefused(_ name: String) throws {
    let log = try Log.open(directory: "/data", io: SimulatedFileIO(), clock: ManualClock())
    let error = #expect(throws: LogError.self) { try log.createTopic(name, config: tinyConfig()) }
    guard case .invalidName(.topic, let refused, _)? = error else {
      Issue.record("expected invalidName, got \(String(describing: error))")
      return
    }
    #expect(refused == name)
  }

  @Test func configRoundTripsThroughItsFile() throws {
    let configs = [
      TopicConfig(), tinyConfig(partitions: 5, cleanup: .compact, fsync: .interval(milliseconds: 250)),
      TopicConfig(
        partitions: 2, retention: .infinite, retentionBytes: .limited(.mebibytes(5)), cleanupPolicy: .delete,
        segmentBytes: .kibibytes(64), segmentMs: 3_600_000, fsync: .none, tombstoneRetention: .limited(.seconds(0)),
        indexIntervalBytes: 1),
    ]
    for config in configs {
      #expect(try TopicConfig.decodeFile(config.encodedFile()).get() == config)
    }
    let text = "format=1\npartitions=2\nfsync=sometimes\n"
    guard case .failure(let problem) = TopicConfig.decodeFile(Array(text.utf8)) else {
      Issue.record("a bad fsync value was accepted")
      return
    }
    #expect(problem.line == 3)
    #expect(problem.message.contains("'fsync' expects batch, interval or none"))
    // A value out of range is reported at its own line, not line 1.
    let outOfRange = "# meshc topic configuration\nformat=1\npartitions=2\nsegment.bytes=10\n"
    guard case .failure(let range) = TopicConfig.decodeFile(Array(outOfRange.utf8)) else {
      Issue.record("a tiny segment size was accepted")
      return
    }
    #expect(range.line == 4)
  }

  @Test func invalidConfigValuesAreRefused() {
    #expect(throws: LogError.self) { try TopicConfig(partitions: 0).validate() }
    #expect(throws: LogError.self) { try TopicConfig(partitions: 5000).validate() }
    #expect(throws: LogError.self) { try TopicConfig(retention: .limited(.seconds(0))).validate() }
    #expect(throws: LogError.self) { try TopicConfig(segmentBytes: ByteCount(10)).validate() }
    #expect(throws: LogError.self) { try TopicConfig(fsync: .interval(milliseconds: 0)).validate() }
    #expect(throws: LogError.self) {
      try TopicConfig(tombstoneRetention: .limited(TimeSpan(milliseconds: -1))).validate()
    }
  }

  @Test func aDamagedConfigIsReportedWithItsPath() throws {
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    try log.createTopic("t", config: tinyConfig())
    try log.close()
    io.overwrite("/data/topics/t/topic.conf", with: Array("format=1\npartitions=two\n".utf8))
    let reopened = try Log.open(directory: "/data", io: io, clock: ManualClock())
    let error = #expect(throws: LogError.self) { try reopened.topic("t") }
    guard case .damagedConfig("t", "/data/topics/t/topic.conf", let reason)? = error else {
      Issue.record("expected damagedConfig, got \(String(describing: error))")
      return
    }
    #expect(reason == "line 2: 'partitions' expects an integer, found 'two'")
  }

  @Test func oneWriterPerTopic() throws {
    let io = SimulatedFileIO()
    let first = try Log.open(directory: "/data", io: io, clock: ManualClock())
    try first.createTopic("t", config: tinyConfig())
    let second = try Log.open(directory: "/data", io: io, clock: ManualClock())
    #expect(throws: LogError.topicLocked(topic: "t", path: "/data/topics/t/.lock")) { try second.topic("t") }
    #expect(throws: LogError.self) { try second.deleteTopic("t") }
    // Readers need no lock.
    let reader = try Log.open(directory: "/data", writable: false, io: io, clock: ManualClock())
    #expect(try reader.topic("t").partitions.count == 1)
    try first.close()
    #expect(try second.topic("t").isWritable)
  }

  @Test func aReadOnlyLogSeesAnotherWritersAcknowledgedAppends() throws {
    let io = SimulatedFileIO()
    let writerLog = try Log.open(directory: "/data", io: io, clock: ManualClock())
    let writer = try writerLog.createTopic("t", config: tinyConfig(segmentBytes: 300)).partition(0)
    try writer.append((0..<5).map { record($0) })
    let readerLog = try Log.open(directory: "/data", writable: false, io: io, clock: ManualClock())
    let partition = try readerLog.topic("t").partition(0)
    #expect(partition.endOffset == Offset(5))
    let reader = try partition.reader(from: Offset(0))
    #expect(try reader.read(maxRecords: 100).count == 5)
    for index in 5..<30 { try writer.append([record(index)]) }
    #expect(reader.waitForData(milliseconds: 1000))
    var rest: [StoredRecord] = []
    while true {
      let more = try reader.read(maxRecords: 7)
      if more.isEmpty { break }
      rest += more
    }
    #expect(rest.map(\.record) == (5..<30).map { record($0) })
    #expect(partition.endOffset == Offset(30))
    // Nothing unacknowledged: a whole batch written after the high watermark (as one in
    // flight before its sync) stays invisible to other processes.
    let active = "/data/topics/t/0/" + SegmentName.log(writer.snapshot().active.baseOffset)
    let buffer = WriteBuffer()
    let size = BatchFormat.encode([record(30)], baseOffset: Offset(30), defaultTimestamp: 0, into: buffer)
    let content = try #require(io.contents(of: active))
    io.overwrite(active, with: content + Array(buffer.bytes(size)))
    partition.refresh()
    #expect(partition.endOffset == Offset(30))
  }

  @Test func consumerGroupOffsetsCommitAtomically() throws {
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    let topic = try log.createTopic("t", config: tinyConfig(partitions: 3))
    #expect(try topic.committedOffsets(group: "billing") == [:])
    try topic.commit(group: "billing", offsets: [0: Offset(5), 2: Offset(9)])
    try topic.commit(group: "billing", offsets: [2: Offset(11)])
    try topic.commit(group: "audit", offsets: [1: Offset(1)])
    #expect(try topic.committedOffsets(group: "billing") == [0: Offset(5), 2: Offset(11)])
    #expect(topic.groups() == ["audit", "billing"])
    // A crash keeps committed offsets (they were synced and renamed into place).
    io.crash()
    let reopened = try Log.open(directory: "/data", io: io, clock: ManualClock()).topic("t")
    #expect(try reopened.committedOffsets(group: "billing") == [0: Offset(5), 2: Offset(11)])
    #expect(throws: LogError.self) { try reopened.commit(group: "bad name", offsets: [0: Offset(1)]) }
    #expect(throws: LogError.self) { try reopened.commit(group: "g", offsets: [7: Offset(1)]) }
    io.overwrite("/data/topics/t/groups/billing.offsets", with: [1, 2, 3])
    let error = #expect(throws: LogError.self) { try reopened.committedOffsets(group: "billing") }
    guard case .damagedGroupOffsets("t", "billing", _, _)? = error else {
      Issue.record("expected damagedGroupOffsets, got \(String(describing: error))")
      return
    }
  }

  @Test func compactedTopicsNeedKeys() throws {
    let log = try Log.open(directory: "/data", io: SimulatedFileIO(), clock: ManualClock())
    let topic = try log.createTopic("t", config: tinyConfig(cleanup: .compact))
    #expect(throws: LogError.missingKey(topic: "t")) { try topic.append([Record(value: [1])]) }
  }

  @Test func oversizedRecordsAreRefusedBeforeAnythingIsWritten() throws {
    let log = try Log.open(directory: "/data", io: SimulatedFileIO(), clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig()).partition(0)
    let huge = Record(value: [UInt8](repeating: 1, count: BatchFormat.maxBatchBytes))
    #expect(throws: LogError.self) { try partition.append([record(0), huge]) }
    #expect(partition.endOffset == Offset(0))
    // Records whose total exceeds one batch are split into several batches.
    let records = (0..<10).map { record($0) }
    let buffer = WriteBuffer()
    var start = 0
    var batches = 0
    try records.withUnsafeBufferPointer { pointer in
      while start < records.count {
        let (size, count) = BatchFormat.encode(
          pointer, from: start, baseOffset: Offset(Int64(start)), defaultTimestamp: 0, limit: 100, into: buffer)
        #expect(size <= 100 && count >= 1)
        let bytes = buffer.bytes(size)
        let decoded = try BatchView(header: #require(BatchHeader(bytes)), bytes: bytes).records()
        #expect(decoded.map(\.record) == Array(records[start..<(start + count)]))
        start += count
        batches += 1
      }
    }
    #expect(batches > 2)
  }
}
