import Dispatch
import MeshBytes
import MeshTestSupport
import Synchronization
import Testing

@testable import MeshLog

/// What the log should hold: the records by offset, kept the simple way.
struct LogModel {
  var records: [Int64: StoredRecord] = [:]
  var start: Int64 = 0
  var end: Int64 = 0
  /// Everything before this offset survives a crash whatever the fsync policy.
  var synced: Int64 = 0
  /// Offsets whose sealed segment the test deleted or emptied.
  var lost: [Range<Int64>] = []

  /// The records at or after `offset`, in order.
  func records(from offset: Int64) -> [StoredRecord] {
    records.keys.filter { $0 >= offset }.sorted().compactMap { records[$0] }
  }

  /// Where a reader from `offset` must stop: the first lost offset at or after it.
  func firstLost(from offset: Int64) -> Int64 {
    lost.filter { $0.upperBound > offset }.map { max($0.lowerBound, offset) }.min() ?? .max
  }

  mutating func truncate(to newEnd: Int64) {
    for offset in records.keys where offset >= newEnd { records.removeValue(forKey: offset) }
    end = newEnd
  }
}

/// Random operation sequences on one partition over the simulated file system, checked
/// against `LogModel` after every step: appends, reads from offsets and timestamps,
/// rolls, retention, compaction, clean reopens, crashes, and sealed segments deleted or
/// emptied behind the log's back (their offsets must be reported lost, never skipped).
@Suite struct LogModelTests {
  struct Scenario: CustomStringConvertible, Sendable {
    var cleanup: TopicConfig.CleanupPolicy
    var fsync: TopicConfig.FsyncPolicy
    var description: String { "\(cleanup) \(fsync)" }
  }

  static let scenarios = [
    Scenario(cleanup: .delete, fsync: .everyBatch), Scenario(cleanup: .delete, fsync: .none),
    Scenario(cleanup: .compact, fsync: .everyBatch), Scenario(cleanup: .compact, fsync: .interval(milliseconds: 5)),
  ]

  @Test(arguments: scenarios)
  func randomOperationsMatchTheModel(_ scenario: Scenario) throws {
    let runs = SeededRandom.longTests ? 40 : 4
    for _ in 0..<runs {
      var random = SeededRandom()
      print("LogModelTests \(scenario): seed \(random.seed)")
      try run(scenario, random: &random, steps: SeededRandom.longTests ? 600 : 150)
    }
  }

  private func run(_ scenario: Scenario, random: inout SeededRandom, steps: Int) throws {
    let seed = random.seed
    let io = SimulatedFileIO(random: SeededRandom(seed: random.next()))
    let clock = ManualClock()
    let directory = "/data"
    let config = TopicConfig(
      partitions: 1, retention: scenario.cleanup == .delete ? .limited(.seconds(60)) : .infinite,
      retentionBytes: scenario.cleanup == .delete && Bool.random(using: &random)
        ? .limited(ByteCount(3000)) : .infinite,
      cleanupPolicy: scenario.cleanup, segmentBytes: ByteCount(Int64.random(in: 300...1500, using: &random)),
      segmentMs: nil, fsync: scenario.fsync, tombstoneRetention: .limited(.seconds(10)),
      indexIntervalBytes: Int.random(in: 32...400, using: &random))
    var log = try Log.open(directory: directory, io: io, clock: clock)
    try log.createTopic("t", config: config)
    var partition = try log.topic("t").partition(0)
    var model = LogModel()
    let keys = (0..<6).map { Array("key-\($0)".utf8) }

    for step in 0..<steps {
      let context = "seed \(seed), step \(step)"
      let choice = Int.random(in: 0..<100, using: &random)
      switch choice {
      case 0..<45:
        let count = Int.random(in: 1...6, using: &random)
        var batch: [Record] = []
        for _ in 0..<count {
          let key =
            scenario.cleanup == .compact || Bool.random(using: &random) ? keys.randomElement(using: &random) : nil
          let tombstone = scenario.cleanup == .compact && Int.random(in: 0..<8, using: &random) == 0
          let value =
            tombstone
            ? nil : (0..<Int.random(in: 0...120, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
          let timestamp: Int64? =
            Bool.random(using: &random) ? nil : clock.now() - Int64.random(in: -5000...90_000, using: &random)
          let headers =
            Int.random(in: 0..<4, using: &random) == 0
            ? [RecordHeader(key: "trace", value: value.map { Array($0.prefix(3)) })] : []
          batch.append(Record(key: key, value: value, headers: headers, timestamp: timestamp))
        }
        let range = try partition.append(batch)
        #expect(range.lowerBound.value == model.end, "\(context)")
        for (index, record) in batch.enumerated() {
          let offset = model.end + Int64(index)
          model.records[offset] = StoredRecord(
            offset: Offset(offset), timestamp: record.timestamp ?? clock.now(), key: record.key, value: record.value,
            headers: record.headers)
        }
        model.end += Int64(count)
        if case .everyBatch = scenario.fsync { model.synced = model.end }
        clock.advance(by: Int64.random(in: 0...2000, using: &random))
      case 45..<65:
        let from = Int64.random(in: model.start...model.end, using: &random)
        // Half the readers read ahead on a helper thread, in refills small enough to need it.
        let reading =
          Bool.random(using: &random) ? PartitionReader.Reading.standard : .init(minimumRead: 64, readAheadAfter: 0)
        let reader = try partition.reader(from: Offset(from), clamp: false, reading: reading)
        let max = Int.random(in: 1...50, using: &random)
        let stop = model.firstLost(from: from)
        let (got, lost) = try read(reader, max: max)
        if let lost {
          #expect(lost.offsets.lowerBound.value <= stop && lost.offsets.upperBound.value > stop, "\(context)")
          #expect(got == model.records(from: from).filter { $0.offset.value < stop }, "\(context): read from \(from)")
        } else {
          #expect(got.allSatisfy { $0.offset.value < stop }, "\(context): read from \(from) past lost \(stop)")
          #expect(got == Array(model.records(from: from).prefix(max)), "\(context): read from \(from)")
        }
      case 65..<72:
        let timestamp = clock.now() - Int64.random(in: -1000...100_000, using: &random)
        let reader = try partition.reader(fromTimestamp: timestamp)
        let expected = model.records(from: model.start).first { $0.timestamp >= timestamp }?.offset.value ?? model.end
        #expect(reader.position.value == expected, "\(context): seek to timestamp \(timestamp)")
      case 72..<78:
        try partition.roll()
        model.synced = model.end
      case 78..<84:
        clock.advance(by: Int64.random(in: 0...40_000, using: &random))
        if scenario.cleanup == .delete {
          let before = partition.segmentSummaries
          let result = try partition.enforceRetention()
          var expectedStart = expectedRetentionStart(before, config: config, now: clock.now())
          // Nothing expired: the start stays, also before a lost first segment (reported
          // until retention removes what follows it).
          if expectedStart == before.first?.base.value { expectedStart = min(expectedStart, model.start) }
          #expect(result.startOffset.value == expectedStart, "\(context): retention")
          for offset in model.records.keys where offset < expectedStart { model.records.removeValue(forKey: offset) }
          model.start = expectedStart
        } else {
          let activeBase = partition.snapshot().active.baseOffset.value
          try partition.compact()
          applyCompaction(to: &model, activeBase: activeBase, tombstoneCutoff: clock.now() - 10_000)
          let start = partition.startOffset.value
          #expect(model.records.keys.allSatisfy { $0 >= start }, "\(context): compaction moved the start past records")
          model.start = max(model.start, start)
        }
      case 84..<86:
        // A sealed segment deleted or emptied while the log is closed.
        // The segment's offsets run to where its record says it ends (compaction may have
        // removed the segments after it); an emptied one is not chosen again.
        let sealed = (partition.record.withLock { $0?.sealed } ?? []).filter { $0.bytes > 0 }
        try log.close()
        if let segment = sealed.randomElement(using: &random) {
          let path = "\(directory)/topics/t/0/\(SegmentName.log(segment.base))"
          if Bool.random(using: &random) {
            try io.remove(path)
          } else {
            let handle = try io.open(path, .readWrite)
            try io.truncate(handle, to: 0)
            try io.sync(handle)
            io.close(handle)
          }
          try io.syncDirectory("\(directory)/topics/t/0")
          let range = segment.base.value..<segment.end.value
          model.lost.append(range)
          for offset in model.records.keys where range.contains(offset) { model.records.removeValue(forKey: offset) }
        }
        log = try Log.open(directory: directory, io: io, clock: clock)
        partition = try log.topic("t").partition(0)
        let reported = Set(partition.lost.map { $0.offsets.lowerBound.value..<$0.offsets.upperBound.value })
        #expect(
          model.lost.allSatisfy { $0.upperBound <= model.start || reported.contains($0) },
          "\(context): lost \(model.lost) reported \(reported) start \(model.start) segments \(partition.segmentSummaries.map(\.base))"
        )
        model.synced = model.end
      case 86..<92:
        try log.close()
        log = try Log.open(directory: directory, io: io, clock: clock)
        partition = try log.topic("t").partition(0)
        model.synced = model.end
      default:
        powerLoss(io, under: log)
        log = try Log.open(directory: directory, io: io, clock: clock)
        partition = try log.topic("t").partition(0)
        let end = partition.endOffset.value
        #expect(end >= model.synced && end <= model.end, "\(context): end \(end) after crash, synced \(model.synced)")
        model.truncate(to: end)
        model.synced = end
        #expect(partition.damage.isEmpty, "\(context): \(partition.damage)")
      }
      #expect(partition.checkInvariants() == [], "\(context)")
      #expect(partition.startOffset.value == model.start || model.records.isEmpty, "\(context): start")
      #expect(partition.endOffset.value == model.end, "\(context): end")
    }
    let everything = try partition.reader(from: partition.startOffset)
    everything.skipsDamage = true
    var all: [StoredRecord] = []
    while case let next = try everything.read(maxRecords: 37), !next.isEmpty { all += next }
    #expect(all == model.records(from: 0), "seed \(seed): final contents")
    try log.close()
  }

  /// Up to `max` records, and the lost records the reader stopped at, if it did.
  private func read(_ reader: PartitionReader, max: Int) throws -> ([StoredRecord], LostRecords?) {
    var got: [StoredRecord] = []
    while got.count < max {
      let next: [StoredRecord]
      do {
        next = try reader.read(maxRecords: max - got.count)
      } catch {
        guard case .missingRecords(let lost) = error else { throw error }
        return (got, lost)
      }
      if next.isEmpty { break }
      got += next
    }
    return (got, nil)
  }

  /// Kafka's retention rules applied to the segments as they were.
  private func expectedRetentionStart(
    _ segments: [(base: Offset, next: Offset, bytes: Int64, maxTimestamp: Int64, isActive: Bool)],
    config: TopicConfig, now: Int64
  ) -> Int64 {
    let closed = segments.filter { !$0.isActive }
    var expired = 0
    if let retention = config.retention.limit {
      while expired < closed.count, closed[expired].maxTimestamp < now - retention.milliseconds { expired += 1 }
    }
    if let limit = config.retentionBytes.limit?.value {
      var remaining = segments.reduce(0) { $0 + $1.bytes } - closed.prefix(expired).reduce(0) { $0 + $1.bytes }
      while expired < closed.count, remaining - closed[expired].bytes >= limit {
        remaining -= closed[expired].bytes
        expired += 1
      }
    }
    return (expired < segments.count ? segments[expired].base : segments.last?.base ?? Offset(0)).value
  }

  private func applyCompaction(to model: inout LogModel, activeBase: Int64, tombstoneCutoff: Int64) {
    var latest: [[UInt8]: Int64] = [:]
    for (offset, record) in model.records {
      if let key = record.key, offset > latest[key] ?? -1 { latest[key] = offset }
    }
    for (offset, record) in model.records where offset < activeBase {
      guard let key = record.key else { continue }
      if latest[key] != offset || (record.value == nil && record.timestamp < tombstoneCutoff) {
        model.records.removeValue(forKey: offset)
      }
    }
  }
}

/// Creators, writers and deleters of topics in several logs at once over one simulated
/// file system (as processes share a data directory), checked against what each of them
/// was told: a topic exists once, whole, with exactly the records whose appends were
/// acknowledged, and no staging entry is left behind.
@Suite struct ConcurrentCreatorModelTests {
  @Test func concurrentCreatorsWritersAndDeletersMatchTheModel() throws {
    let rounds = SeededRandom.longTests ? 150 : 15
    var random = SeededRandom()
    print("ConcurrentCreatorModelTests: seed \(random.seed)")
    for round in 0..<rounds {
      let io = SimulatedFileIO(random: SeededRandom(seed: random.next()))
      let names = ["a", "b", "c"]
      // Each actor creates (or finds) a topic and appends, or deletes one.
      let plans: [(name: String, records: Int, deletes: Bool)] = (0..<Int.random(in: 2...6, using: &random)).map { _ in
        (
          names.randomElement(using: &random) ?? "a", Int.random(in: 1...4, using: &random),
          Int.random(in: 0..<6, using: &random) == 0
        )
      }
      // What each actor was told, in the order things happened per topic: appends
      // acknowledged, and deletions done.
      let events = Mutex<[String: [Int]]>([:])
      let unexpected = Mutex<[String]>([])
      DispatchQueue.concurrentPerform(iterations: plans.count) { index in
        let plan = plans[index]
        do {
          let log = try Log.open(directory: "/data", io: io)
          defer { try? log.close() }
          if plan.deletes {
            // The deletion and its event under one lock, so that their order is the truth.
            try events.withLock { events in
              try log.deleteTopic(plan.name)
              events[plan.name, default: []].append(-1)
            }
            return
          }
          let (topic, _) = try log.topic(plan.name, creatingWith: TopicConfig(partitions: 1))
          try events.withLock { events in
            _ = try topic.append((0..<plan.records).map { record($0) }, partition: 0)
            events[plan.name, default: []].append(plan.records)
          }
        } catch let error as LogError {
          switch error {
          case .topicLocked, .unknownTopic, .closed:
            break  // told no: another actor held the topic, or deleted it first
          default:
            unexpected.withLock { $0.append("\(plan): \(error)") }
          }
        } catch {
          unexpected.withLock { $0.append("\(plan): \(error)") }
        }
      }
      let context = "round \(round), plans \(plans)"
      #expect(unexpected.withLock { $0 }.isEmpty, "\(context): \(unexpected.withLock { $0 })")
      let log = try Log.open(directory: "/data", writable: false, io: io)
      let told = events.withLock { $0 }
      for name in names {
        // After the last deletion, the topic holds the appends acknowledged since.
        let history = told[name] ?? []
        let sinceDeletion = history.split(separator: -1, omittingEmptySubsequences: false).last ?? []
        let expected = sinceDeletion.reduce(0, +)
        if try log.topicNames().contains(name) {
          #expect(try log.topic(name).partition(0).endOffset.value == Int64(expected), "\(context): \(name) \(history)")
        } else {
          #expect(expected == 0, "\(context): \(name) is gone but \(history) says it holds records")
        }
      }
      let leftovers = try io.contents(ofDirectory: "/data/topics").filter {
        $0.hasPrefix(".creating-") || $0.hasPrefix(".deleting-")
      }
      #expect(leftovers.isEmpty, "\(context): \(leftovers)")
    }
  }
}
