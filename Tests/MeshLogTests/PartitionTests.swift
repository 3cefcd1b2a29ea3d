import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

/// A power loss under a running log: its background syncer stops first, as a real power
/// loss stops every thread at once (left running, it would go on writing the old
/// process's recovery points into the recovered log).
func powerLoss(_ io: SimulatedFileIO, under log: Log) {
  log.abandon()
  io.crash()
}

/// A topic configuration small enough to roll and index often in tests.
func tinyConfig(
  partitions: Int = 1, segmentBytes: Int64 = 1024, cleanup: TopicConfig.CleanupPolicy = .delete,
  fsync: TopicConfig.FsyncPolicy = .everyBatch, retentionMs: Int64? = nil, retentionBytes: Int64? = nil
) -> TopicConfig {
  TopicConfig(
    partitions: partitions, retention: retentionMs.map { .limited(TimeSpan(milliseconds: $0)) } ?? .infinite,
    retentionBytes: retentionBytes.map { .limited(ByteCount($0)) } ?? .infinite,
    cleanupPolicy: cleanup, segmentBytes: ByteCount(segmentBytes), segmentMs: nil, fsync: fsync,
    tombstoneRetention: .limited(.seconds(1)), indexIntervalBytes: 128)
}

func record(_ index: Int, key: String? = nil, timestamp: Int64? = nil) -> Record {
  Record(
    key: key.map { Array($0.utf8) }, value: Array("value-\(index)".utf8),
    headers: index % 3 == 0 ? [RecordHeader(key: "h", value: Array("\(index)".utf8))] : [],
    timestamp: timestamp ?? 1_000_000 + Int64(index))
}

func readAll(_ partition: Partition, from offset: Offset? = nil) throws -> [StoredRecord] {
  let reader = try partition.reader(from: offset ?? partition.startOffset)
  var all: [StoredRecord] = []
  while true {
    let batch = try reader.read(maxRecords: 37)
    if batch.isEmpty { return all }
    all += batch
  }
}

@Suite struct PartitionTests {
  @Test func appendsAndReadsBackAcrossRollsAndReopens() throws {
    let directory = try Fixtures.makeTemporaryDirectory("log").path
    var expected: [Record] = []
    do {
      let log = try Log.open(directory: directory)
      let topic = try log.createTopic("orders", config: tinyConfig())
      let partition = try topic.partition(0)
      for round in 0..<40 {
        let batch = (0..<(round % 7 + 1)).map {
          record(expected.count + $0, timestamp: Int64(1000 + expected.count + $0))
        }
        let range = try partition.append(batch)
        #expect(range.lowerBound == Offset(Int64(expected.count)))
        expected += batch
      }
      #expect(partition.snapshot().segmentCount > 3)
      let read = try readAll(partition)
      #expect(read.map(\.record) == expected)
      #expect(read.map(\.offset.value) == Array(0..<Int64(expected.count)))
      try log.close()
    }
    // Clean reopen: sealed indexes trusted.
    let log = try Log.open(directory: directory)
    let partition = try log.topic("orders").partition(0)
    #expect(try readAll(partition).map(\.record) == expected)
    // Every offset is a valid starting point.
    for start in stride(from: 0, to: expected.count, by: 5) {
      let read = try readAll(partition, from: Offset(Int64(start)))
      #expect(read.map(\.record) == Array(expected[start...]))
    }
    // By timestamp.
    let reader = try partition.reader(fromTimestamp: 1000 + 57)
    #expect(reader.position == Offset(57))
    try partition.append([record(999)])
    #expect(try readAll(partition).count == expected.count + 1)
    try log.close()
  }
}
