import Foundation
import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

/// The partition record (`segments`): sealed data that goes missing is reported, never
/// skipped silently; a lost acknowledged tail stops appends instead of handing its
/// offsets out again; reports outlive retention; strays are not adopted.
@Suite struct PartitionRecordTests {
  /// A topic of 20 appends of 3 records over segments of about 600 bytes, closed cleanly.
  private func makeLog(clean: Bool = true) throws -> (directory: String, all: [Record]) {
    let directory = try Fixtures.makeTemporaryDirectory("partition-record").path
    let log = try Log.open(directory: directory)
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 600)).partition(0)
    let all = (0..<60).map { record($0) }
    for chunk in stride(from: 0, to: 60, by: 3) { try partition.append(Array(all[chunk..<chunk + 3])) }
    if clean { try log.close() }
    return (directory, all)
  }

  private func logs(_ directory: String) throws -> [String] {
    let folder = directory + "/topics/t/0"
    return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".log") }.sorted()
      .map { folder + "/" + $0 }
  }

  private func base(_ path: String) throws -> Offset {
    try #require(SegmentName.baseOffset(ofLog: LogPath.name(of: path)))
  }

  private func cut(_ path: String, to size: Int) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: UInt64(size))
    try handle.close()
  }

  private func storedRecord(_ path: String) throws -> PartitionRecord {
    try PartitionRecord.decode(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).get()
  }

  private func lostError(_ body: () throws -> Void) -> LostRecords? {
    do {
      try body()
    } catch let error as LogError {
      if case .missingRecords(let lost) = error { return lost }
      Issue.record("expected missingRecords, got \(error)")
    } catch {
      Issue.record("expected a LogError, got \(error)")
    }
    return nil
  }

  @Test func theRecordReadsBackWhatItWroteAndRefusesDamage() throws {
    var record = PartitionRecord.empty
    record.start = Offset(10)
    record.sealed = [
      .init(base: Offset(10), end: Offset(20), bytes: 400, cleaning: nil),
      .init(base: Offset(20), end: Offset(35), bytes: 900, cleaning: 300),
    ]
    record.active = Offset(35)
    record.acknowledged = Offset(41)
    record.lost = [.init(offsets: Offset(12)..<Offset(15), reason: "segment 'x' is missing\nsecond line")]
    record.damaged = [.init(offset: Offset(11), description: "damaged batch …")]
    let bytes = record.encoded()
    var expected = record
    expected.lost[0].reason = "segment 'x' is missing second line"
    #expect(PartitionRecord.decode(bytes) == .success(expected))
    var flipped = bytes
    flipped[40] ^= 0x01
    guard case .failure(let problem) = PartitionRecord.decode(flipped) else {
      Issue.record("a flipped byte went unnoticed")
      return
    }
    #expect(problem.description.contains("checksum mismatch"))
    #expect(PartitionRecord.decode(Array(bytes.dropLast(5))).isFailure)
    #expect(PartitionRecord.decode([]).isFailure)
  }

  @Test func aDeletedSegmentInTheMiddleIsReportedNotSkipped() throws {
    let (directory, all) = try makeLog()
    let files = try logs(directory)
    let middle = files[2]
    let from = try base(middle)
    let to = try base(files[3])
    try FileManager.default.removeItem(atPath: middle)
    let partition = try Log.open(directory: directory, writable: false).topic("t").partition(0)
    #expect(partition.lost.map(\.offsets) == [from..<to])
    let lost = lostError { _ = try readAll(partition) }
    #expect(lost?.offsets == from..<to)
    #expect(lost?.description.contains(middle) == true)
    // Knowingly skipping reads everything else and says what it stepped over.
    let reader = try partition.reader(from: Offset(0))
    reader.skipsDamage = true
    var read: [StoredRecord] = []
    while case let next = try reader.read(maxRecords: 7), !next.isEmpty { read += next }
    #expect(read.map(\.record) == Array(all[..<Int(from.value)] + all[Int(to.value)...]))
    #expect(reader.skipped.count == 1)
    // A writable open records the loss, and appends go on after the end.
    let log = try Log.open(directory: directory)
    let writable = try log.topic("t").partition(0)
    #expect(writable.lost.map(\.offsets) == [from..<to])
    #expect(try writable.append([record(60)]) == Offset(60)..<Offset(61))
    try log.close()
  }

  @Test func anEmptiedSegmentInTheMiddleIsReported() throws {
    let (directory, _) = try makeLog()
    let files = try logs(directory)
    try cut(files[1], to: 0)
    let partition = try Log.open(directory: directory).topic("t").partition(0)
    #expect(partition.lost.map(\.offsets) == [try base(files[1])..<base(files[2])])
    #expect(lostError { _ = try readAll(partition) }?.offsets.lowerBound == (try base(files[1])))
  }

  @Test func aLostFirstSegmentIsReportedFromTheStart() throws {
    let (directory, _) = try makeLog()
    let files = try logs(directory)
    try FileManager.default.removeItem(atPath: files[0])
    let partition = try Log.open(directory: directory, writable: false).topic("t").partition(0)
    #expect(partition.startOffset == Offset(0))
    #expect(lostError { _ = try readAll(partition) }?.offsets == (Offset(0)..<(try base(files[1]))))
  }

  /// The sealed last segment cut at a batch boundary and the last segment deleted: both
  /// used to look like a torn write, and the next append reused the lost offsets.
  @Test(arguments: [false, true])
  func aLostTailRefusesAppendsUntilRepairedAndNeverReusesOffsets(deleteIt: Bool) throws {
    let (directory, all) = try makeLog()
    let files = try logs(directory)
    let last = try #require(files.last)
    let lastBase = try base(last)
    if deleteIt {
      try FileManager.default.removeItem(atPath: last)
    } else {
      // Cut after the first batch of the last segment (3 records of about 100 bytes).
      let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: last)))
      let firstLength = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
      try cut(last, to: firstLength + 8)
    }
    let survivingEnd = deleteIt ? lastBase : lastBase + 3
    // A consumer group that had read everything.
    let group = "readers"
    do {
      let log = try Log.open(directory: directory)
      let partition = try log.topic("t").partition(0)
      #expect(partition.lost.map(\.offsets) == [survivingEnd..<Offset(60)])
      #expect(partition.endOffset == survivingEnd)
      #expect {
        try partition.append([record(99)])
      } throws: { error in
        guard case .appendsRefused(let lost) = error as? LogError else { return false }
        return lost.offsets == survivingEnd..<Offset(60)
      }
      try log.topic("t").commit(group: group, offsets: [0: Offset(60)])
      try log.close()
    }
    // Reopening finds the same loss and still refuses.
    do {
      let log = try Log.open(directory: directory)
      #expect(throws: LogError.self) { try log.topic("t").partition(0).append([record(99)]) }
      try log.close()
    }
    // Repair accepts it: appends go on at 60, the group that was at 60 gets them.
    let log = try Log.open(directory: directory)
    let done = try log.repairTopic("t")
    #expect(done.count == 1)
    #expect(done.first?.contains("appends go on at offset 60") == true)
    let partition = try log.topic("t").partition(0)
    #expect(try partition.append([record(60)]) == Offset(60)..<Offset(61))
    let start = try log.topic("t").startOffsets(.committed(group: group, otherwise: .earliest))
    #expect(start.first?.offset == Offset(60))
    #expect(try readAll(partition, from: Offset(60)).map(\.record) == [record(60)])
    // A reader from the start reads what survived, then stops at the loss.
    let reader = try partition.reader(from: Offset(0))
    var read: [StoredRecord] = []
    let lost = lostError {
      while case let next = try reader.read(maxRecords: 1), !next.isEmpty { read += next }
    }
    #expect(lost?.offsets == survivingEnd..<Offset(60))
    #expect(read.map(\.record) == Array(all[..<Int(survivingEnd.value)]))
    try log.close()
    // The loss stays on record after a clean reopen.
    let reopened = try Log.open(directory: directory, writable: false).topic("t").partition(0)
    #expect(reopened.lost.map(\.offsets) == [survivingEnd..<Offset(60)])
    #expect(reopened.endOffset == Offset(61))
  }

  @Test func aDamageReportOutlivesTheRetentionThatRemovedItsSegment() throws {
    let directory = try Fixtures.makeTemporaryDirectory("partition-record").path
    let clock = ManualClock()
    let config = tinyConfig(segmentBytes: 600, retentionMs: 60_000)
    do {
      let log = try Log.open(directory: directory, clock: clock)
      let partition = try log.createTopic("t", config: config).partition(0)
      for chunk in stride(from: 0, to: 30, by: 3) {
        try partition.append((chunk..<chunk + 3).map { record($0, timestamp: clock.now()) })
      }
      try log.close()
    }
    let first = try #require(try logs(directory).first)
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: first)))
    bytes[30] ^= 0x40
    try Data(bytes).write(to: URL(fileURLWithPath: first))
    // The sealed index still matches the file's size, so the open trusts it; removing
    // the indexes makes the open scan the segment and find the damage.
    for suffix in [".index", ".timeindex"] {
      try FileManager.default.removeItem(atPath: String(first.dropLast(4)) + suffix)
    }
    let log = try Log.open(directory: directory, clock: clock)
    let partition = try log.topic("t").partition(0)
    #expect(partition.damage.count == 1)
    #expect(partition.pastDamage.count == 1)
    clock.advance(by: 120_000)
    try partition.append([record(30, timestamp: clock.now())])
    let removed = try partition.enforceRetention()
    #expect(removed.deletedSegments > 0)
    #expect(!FileManager.default.fileExists(atPath: first))
    #expect(partition.damage.isEmpty)
    #expect(partition.pastDamage.count == 1)
    try log.close()
    let reopened = try Log.open(directory: directory, writable: false).topic("t").partition(0)
    #expect(reopened.pastDamage.first?.contains("checksum mismatch") == true)
  }

  @Test func aDamagedRecordStopsWritersUntilRepairRebuildsIt() throws {
    let (directory, all) = try makeLog()
    let path = directory + "/topics/t/0/" + PartitionRecord.fileName
    try Data("format=1\ngarbage\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect {
      _ = try Log.open(directory: directory).topic("t")
    } throws: { error in
      guard case .damagedPartitionRecord(_, _, let at, _) = error as? LogError else { return false }
      return at == path
    }
    // Readers still read, with a note.
    let reader = try Log.open(directory: directory, writable: false).topic("t").partition(0)
    #expect(try readAll(reader).map(\.record) == all)
    #expect(reader.pastDamage.first?.contains("damaged") == true)
    let log = try Log.open(directory: directory)
    let done = try log.repairTopic("t")
    #expect(done.first?.contains("rebuilt") == true)
    #expect(try log.topic("t").partition(0).append([record(60)]) == Offset(60)..<Offset(61))
    try log.close()
    #expect(PartitionRecord.decode(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).isSuccess)
  }

  @Test func aStaleHighWatermarkHidesNothingOnceTheWriterIsGone() throws {
    let (directory, all) = try makeLog()
    let watermarkPath = directory + "/topics/t/0/" + HighWatermark.fileName
    func makeStale() throws {
      var stale = [UInt8](repeating: 0, count: HighWatermark.size)
      HighWatermark.encode(Offset(57), into: &stale)
      try Data(stale).write(to: URL(fileURLWithPath: watermarkPath))
    }
    // While a writer holds the topic, readers stop at its watermark: a batch past it
    // may be an append still waiting for its sync.
    let writer = try Log.open(directory: directory)
    _ = try writer.topic("t")
    try makeStale()
    let whileWriting = try Log.open(directory: directory, writable: false).topic("t").partition(0)
    #expect(whileWriting.endOffset == Offset(57))
    #expect(whileWriting.lost.isEmpty)
    try writer.close()
    // Without a writer, every whole batch is shown.
    try makeStale()
    let afterwards = try Log.open(directory: directory, writable: false).topic("t").partition(0)
    #expect(try readAll(afterwards).map(\.record) == all)
  }

  @Test func compactionLeavesNothingThatLooksLost() throws {
    let directory = try Fixtures.makeTemporaryDirectory("partition-record").path
    let log = try Log.open(directory: directory)
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 400, cleanup: .compact)).partition(0)
    for index in 0..<60 { try partition.append([record(index, key: "k\(index % 4)")]) }
    let result = try partition.compact()
    #expect(result.cleanedSegments > 0)
    try log.close()
    let reopened = try Log.open(directory: directory).topic("t").partition(0)
    #expect(reopened.lost.isEmpty)
    #expect(reopened.strays.isEmpty)
    #expect(try readAll(reopened).count >= 4)
  }

  /// Compaction records the size of the copy it swaps in before the rename: a crash on
  /// either side of the rename leaves a whole file that the next open accepts.
  @Test(arguments: [false, true])
  func anInterruptedCompactionSwapIsNotALoss(renamed: Bool) throws {
    let (directory, all) = try makeLog()
    let folder = directory + "/topics/t/0/"
    let recordPath = folder + PartitionRecord.fileName
    var record = try storedRecord(recordPath)
    let old = record.sealed[1].bytes
    // The "compacted copy" here is the same data; only the recorded sizes differ.
    record.sealed[1].bytes = renamed ? old + 17 : old
    record.sealed[1].cleaning = renamed ? old : old + 17
    try Data(record.encoded()).write(to: URL(fileURLWithPath: recordPath))
    let partition = try Log.open(directory: directory).topic("t").partition(0)
    #expect(partition.lost.isEmpty)
    #expect(partition.pastDamage.isEmpty)
    #expect(try readAll(partition).map(\.record) == all)
  }

  @Test func segmentsBelowTheRecordedStartAreWhatRetentionHadYetToRemove() throws {
    let (directory, all) = try makeLog()
    let folder = directory + "/topics/t/0/"
    let recordPath = folder + PartitionRecord.fileName
    var record = try storedRecord(recordPath)
    let first = record.sealed.removeFirst()
    record.start = record.sealed[0].base
    try Data(record.encoded()).write(to: URL(fileURLWithPath: recordPath))
    let partition = try Log.open(directory: directory).topic("t").partition(0)
    #expect(!FileManager.default.fileExists(atPath: folder + SegmentName.log(first.base)))
    #expect(partition.lost.isEmpty)
    #expect(try readAll(partition).map(\.record) == Array(all[Int(record.start.value)...]))
  }
}

extension Result {
  fileprivate var isFailure: Bool {
    if case .failure = self { return true }
    return false
  }
  fileprivate var isSuccess: Bool { !isFailure }
}
