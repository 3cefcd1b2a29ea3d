import Foundation
import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

/// Injected I/O failures and power losses on the simulated file system: an append that
/// returned survives, an append that threw leaves no partial batch, and a failed
/// partition refuses appends until it is reopened.
@Suite struct SimulatedFaultTests {
  private func openPartition(
    _ io: SimulatedFileIO, config: TopicConfig = tinyConfig(), create: Bool = false
  ) throws -> (Log, Partition) {
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    if create { try log.createTopic("t", config: config) }
    return (log, try log.topic("t").partition(0))
  }

  @Test func aFailedWriteIsNotAcknowledgedAndLatchesTheWriter() throws {
    let io = SimulatedFileIO()
    let (_, partition) = try openPartition(io, create: true)
    try partition.append((0..<5).map { record($0) })
    io.addFault(.init(.write, pathSuffix: ".log", tearBeforeFailing: true))
    #expect(throws: LogError.self) { try partition.append([record(5)]) }
    // Latched: even a healthy disk gets no more appends until a reopen recovers.
    let error = #expect(throws: LogError.self) { try partition.append([record(6)]) }
    guard case .writerFailed(_, _, let cause)? = error else {
      Issue.record("expected writerFailed, got \(String(describing: error))")
      return
    }
    #expect(cause.errno == 5)
    #expect(try readAll(partition).map(\.record) == (0..<5).map { record($0) })
    io.crash()
    let (_, reopened) = try openPartition(io)
    #expect(try readAll(reopened).map(\.record) == (0..<5).map { record($0) })
    #expect(try reopened.append([record(5)]) == Offset(5)..<Offset(6))
  }

  @Test func aFailedSyncIsNotAcknowledged() throws {
    let io = SimulatedFileIO()
    let (_, partition) = try openPartition(io, create: true)
    try partition.append([record(0)])
    io.addFault(.init(.sync, pathSuffix: ".log"))
    #expect(throws: LogError.self) { try partition.append([record(1)]) }
    // Readers in this process never saw the unacknowledged batch.
    #expect(partition.endOffset == Offset(1))
    #expect(try readAll(partition).count == 1)
    io.crash()
    let (_, reopened) = try openPartition(io)
    let records = try readAll(reopened)
    #expect(records.first?.record == record(0))
    // The unacknowledged record is either wholly there or absent, never garbage.
    #expect(records.count <= 2)
    if records.count == 2 { #expect(records[1].record == record(1)) }
  }

  @Test func failuresWhileRollingLeaveARecoverableLog() throws {
    for operation in [SimulatedFileIO.FaultRule.Operation.syncDirectory, .open, .truncate] {
      let io = SimulatedFileIO()
      let (_, partition) = try openPartition(io, config: tinyConfig(segmentBytes: 200), create: true)
      var acknowledged: [Record] = []
      io.addFault(.init(operation, skip: 2))
      for index in 0..<40 {
        do {
          try partition.append([record(index)])
          acknowledged.append(record(index))
        } catch {
          break
        }
      }
      io.clearFaults()
      io.crash()
      let (_, reopened) = try openPartition(io)
      let records = try readAll(reopened).map(\.record)
      #expect(Array(records.prefix(acknowledged.count)) == acknowledged, "fault on \(operation)")
      #expect(records.count <= acknowledged.count + 1, "fault on \(operation)")
      #expect(reopened.checkInvariants() == [])
    }
  }

  @Test func randomFailuresNeverLoseAcknowledgedRecords() throws {
    var random = SeededRandom()
    print("SimulatedFaultTests: seed \(random.seed)")
    let rounds = SeededRandom.longTests ? 200 : 25
    for round in 0..<rounds {
      let io = SimulatedFileIO(random: SeededRandom(seed: random.next()))
      var (log, partition) = try openPartition(io, config: tinyConfig(segmentBytes: 400), create: true)
      io.randomFailureRate = 0.03
      var acknowledged: [Record] = []
      var maybe: [Record] = []
      for index in 0..<120 {
        let batch = (0..<Int.random(in: 1...3, using: &random)).map { record(index * 10 + $0) }
        do {
          try partition.append(batch)
          acknowledged += maybe.isEmpty ? batch : []
          if !maybe.isEmpty { maybe = [] }
        } catch {
          guard case .writerFailed = error else { throw error }
          // Not acknowledged: reopen (as a process restart would) and go on.
          io.randomFailureRate = 0
          if maybe.isEmpty { maybe = batch }
          io.crash()
          (log, partition) = try openPartition(io)
          let present = try readAll(partition).map(\.record)
          #expect(Array(present.prefix(acknowledged.count)) == acknowledged, "seed \(random.seed), round \(round)")
          let extra = Array(present.dropFirst(acknowledged.count))
          #expect(extra.isEmpty || extra == maybe, "seed \(random.seed), round \(round): partial batch \(extra)")
          acknowledged = present
          maybe = []
          io.randomFailureRate = 0.03
        }
      }
      io.randomFailureRate = 0
      io.crash()
      (log, partition) = try openPartition(io)
      #expect(try readAll(partition).map(\.record) == acknowledged, "seed \(random.seed), round \(round)")
      _ = log
    }
  }

  @Test func damageAtRestIsReportedWithItsPlace() throws {
    let io = SimulatedFileIO()
    let (log, partition) = try openPartition(io, config: tinyConfig(segmentBytes: 300), create: true)
    for index in 0..<30 { try partition.append([record(index)]) }
    try log.close()
    // Flip a byte inside the second batch of the first segment.
    let path = "/data/topics/t/0/00000000000000000000.log"
    var bytes = try #require(io.contents(of: path))
    let firstBatch = Int(bytes[0]) | Int(bytes[1]) << 8
    bytes[firstBatch + 8 + 20] ^= 0xFF
    io.overwrite(path, with: bytes)
    let (_, reopened) = try openPartition(io)
    let reader = try reopened.reader(from: Offset(0))
    #expect(try reader.read(maxRecords: 1).map(\.offset) == [Offset(0)])
    let error = #expect(throws: LogError.self) { _ = try reader.read(maxRecords: 10) }
    guard case .corruptBatch(let corrupt)? = error else {
      Issue.record("expected corruptBatch, got \(String(describing: error))")
      return
    }
    #expect(corrupt.topic == "t")
    #expect(corrupt.partition == 0)
    #expect(corrupt.offset == Offset(1))
    #expect(corrupt.segment == path)
    #expect(corrupt.position == Int64(firstBatch + 8))
    guard case .checksumMismatch = corrupt.reason else {
      Issue.record("expected a checksum mismatch, got \(corrupt.reason)")
      return
    }
    // Reading past the damage works.
    #expect(try reopened.reader(from: Offset(2)).read(maxRecords: 1).map(\.offset) == [Offset(2)])
  }
}

@Suite struct SyncPolicyTests {
  @Test func intervalPolicySyncsIdleDataInTheBackground() throws {
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig(fsync: .interval(milliseconds: 20))).partition(0)
    try partition.append([record(0)])
    // No further append comes; within a few intervals the flusher has synced anyway.
    let deadline = MonotonicClock.milliseconds() + 5000
    while io.count(of: "sync") < 1 || partition.writer.withLock({ $0?.hasUnsyncedData ?? true }) {
      if MonotonicClock.milliseconds() > deadline { break }
      usleepMilliseconds(10)
    }
    powerLoss(io, under: log)
    let reopened = try Log.open(directory: "/data", io: io, clock: ManualClock()).topic("t").partition(0)
    #expect(try readAll(reopened).map(\.record) == [record(0)])
  }

  @Test func backgroundSyncsRunBesideAppendsAndRolls() throws {
    // The flusher syncs outside the writer lock while appends go on and segments roll
    // under it: no append may fail, and once it has caught up a crash loses nothing.
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 2048, fsync: .interval(milliseconds: 2)))
      .partition(0)
    var appended: [Record] = []
    let deadline = MonotonicClock.milliseconds() + 300
    while MonotonicClock.milliseconds() < deadline {
      let batch = (0..<5).map { record(appended.count + $0) }
      try partition.append(batch)
      appended += batch
      if appended.count % 50 == 0 { usleepMilliseconds(1) }
    }
    #expect(partition.snapshot().segmentCount > 10)
    let caughtUp = MonotonicClock.milliseconds() + 5000
    while partition.writer.withLock({ $0?.hasUnsyncedData ?? true }), MonotonicClock.milliseconds() < caughtUp {
      usleepMilliseconds(5)
    }
    powerLoss(io, under: log)
    let reopened = try Log.open(directory: "/data", io: io, clock: ManualClock()).topic("t").partition(0)
    #expect(try readAll(reopened).map(\.record) == appended)
  }

  @Test func aFailedBackgroundSyncStopsTheWriter() throws {
    // After a failed fsync the page cache's state is unknown: the flusher latches the
    // failure and the next append reports it, as an append's own failed sync would.
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig(fsync: .interval(milliseconds: 5))).partition(0)
    try partition.append([record(0)])
    io.addFault(.init(.sync, pathSuffix: ".log", count: 1000))
    try partition.append([record(1)])
    let deadline = MonotonicClock.milliseconds() + 5000
    while partition.writer.withLock({ $0?.failure == nil }), MonotonicClock.milliseconds() < deadline {
      usleepMilliseconds(5)
    }
    #expect(throws: LogError.self) { try partition.append([record(2)]) }
    do {
      try partition.append([record(3)])
      Issue.record("an append after a failed sync was acknowledged")
    } catch {
      guard case .writerFailed(_, _, let cause) = error else {
        Issue.record("expected writerFailed, got \(error)")
        return
      }
      #expect(cause.operation == .sync)
    }
    io.clearFaults()
    powerLoss(io, under: log)
    let reopened = try Log.open(directory: "/data", io: io, clock: ManualClock()).topic("t").partition(0)
    let records = try readAll(reopened).map(\.record)
    // What the crash kept is a prefix of what was acknowledged, never garbage.
    #expect(records == Array([record(0), record(1)].prefix(records.count)))
  }

  @Test func closingWaitsForABackgroundSyncInProgress() throws {
    // Once `close` returns nothing touches the topic's files: a deletion that follows
    // must not race the flusher's recovery point.
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    let topic = try log.createTopic("t", config: tinyConfig(fsync: .interval(milliseconds: 4)))
    io.slowDownNextSync(milliseconds: 200)
    try topic.partition(0).append([record(0)])
    let deadline = MonotonicClock.milliseconds() + 5000
    while io.syncsInProgress == 0, MonotonicClock.milliseconds() < deadline { usleepMilliseconds(1) }
    #expect(io.syncsInProgress == 1, "the flusher never started its sync")
    try topic.close()
    #expect(io.syncsInProgress == 0)
    let afterClose = ["open", "write", "sync"].map { io.count(of: $0) }
    usleepMilliseconds(250)
    #expect(["open", "write", "sync"].map { io.count(of: $0) } == afterClose)
  }

  @Test func everyBatchSyncsBeforeAcknowledging() throws {
    let io = SimulatedFileIO()
    let log = try Log.open(directory: "/data", io: io, clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig(fsync: .everyBatch)).partition(0)
    let before = io.count(of: "sync")
    try partition.append([record(0)])
    #expect(io.count(of: "sync") == before + 1)
    io.crash()
    let reopened = try Log.open(directory: "/data", io: io, clock: ManualClock()).topic("t").partition(0)
    #expect(try readAll(reopened).count == 1)
    _ = log
  }

  @Test func segmentsRollByAge() throws {
    let clock = ManualClock(1_000_000)
    let log = try Log.open(directory: "/data", io: SimulatedFileIO(), clock: clock)
    var config = tinyConfig(segmentBytes: 1 << 20)
    config.segmentMs = 60_000
    let partition = try log.createTopic("t", config: config).partition(0)
    try partition.append([record(0, timestamp: clock.now())])
    clock.advance(by: 30_000)
    try partition.append([record(1, timestamp: clock.now())])
    #expect(partition.snapshot().segmentCount == 1)
    clock.advance(by: 31_000)
    try partition.append([record(2, timestamp: clock.now())])
    #expect(partition.snapshot().segmentCount == 2)
    #expect(partition.snapshot().active.baseOffset == Offset(2))
  }
}

private func usleepMilliseconds(_ milliseconds: UInt32) {
  usleep(milliseconds * 1000)
}
