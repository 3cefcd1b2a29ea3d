import Foundation
import MeshLog

#if canImport(Glibc)
  import Glibc
#endif

/// What a crash test run found.
public struct LogCrashTestResult: Sendable {
  public var seed: UInt64
  public var kills = 0
  /// Records the children acknowledged, in total over all runs.
  public var acknowledgedRecords: Int64 = 0
  /// Records found intact after the last recovery.
  public var recoveredRecords: Int64 = 0
  public var failures: [String] = []
}

/// The fsync policy the crash test's child appends under. A kill -9 loses nothing
/// acknowledged under either (the page cache survives the process); `interval` adds the
/// background syncs and the recovery-point rules to what the kills interrupt.
public enum CrashTestFsync: String, Sendable, CaseIterable {
  case batch
  case interval

  var policy: TopicConfig.FsyncPolicy {
    switch self {
    case .batch: .everyBatch
    case .interval: .interval(milliseconds: 5)
    }
  }
}

/// The `kill -9` test of the log: a child process (`meshc bench log append-child`)
/// appends deterministic batches and prints each acknowledged range;
/// the parent kills it with SIGKILL at a random moment, recovers the log, and checks that
/// every acknowledged record is there byte for byte, that nothing else is (no record
/// differs from what the child wrote at its offset) and that the log ends on a batch
/// boundary (no partial batch is visible). The next child continues from the recovered
/// end, so segment rolls and recoveries pile up over the run.
extension Benchmarks {
  static let crashTopic = "crash"

  /// Runs `kills` rounds against a fresh log in `directory`.
  public static func logCrashTest(
    executable: String, directory: String, kills: Int, seed: UInt64, maxDelayMilliseconds: Int = 60,
    fsync: CrashTestFsync = .batch, progress: (LogCrashTestResult) -> Void = { _ in }
  ) -> LogCrashTestResult {
    var result = LogCrashTestResult(seed: seed)
    var random = CrashRandom(seed)
    for round in 0..<kills {
      let child: ChildProcess
      do {
        child = try ChildProcess(
          executable: executable,
          arguments: [
            "bench", "log", "append-child", "--data-dir", directory, "--seed", String(seed), "--fsync", fsync.rawValue,
          ])
      } catch {
        result.failures.append("round \(round): \(error)")
        return result
      }
      var acknowledged: Offset?
      let delay = Int64(random.next() % UInt64(max(1, maxDelayMilliseconds)))
      // Wait for the first acknowledgement (the child is up and appending), then a random delay.
      if let line = child.readLine(milliseconds: 20_000), let ack = parseAck(line) {
        acknowledged = ack
        let deadline = MonotonicClock.milliseconds() + delay
        while MonotonicClock.milliseconds() < deadline {
          guard let line = child.readLine(milliseconds: Int32(max(1, deadline - MonotonicClock.milliseconds()))) else {
            continue
          }
          if let ack = parseAck(line) { acknowledged = ack }
        }
      }
      child.kill()
      // Lines already written were acknowledged before the kill.
      while let line = child.readLine(milliseconds: 2000) {
        if let ack = parseAck(line) { acknowledged = ack }
      }
      child.wait()
      result.kills += 1
      guard let acknowledged else {
        result.failures.append("round \(round): the child acknowledged nothing")
        continue
      }
      result.acknowledgedRecords = acknowledged.value
      if let failure = verifyCrashLog(directory: directory, seed: seed, acknowledged: acknowledged, result: &result) {
        result.failures.append("round \(round): \(failure)")
        return result
      }
      progress(result)
    }
    return result
  }

  /// Opens the log (recovering it) and checks it against what the child must have written.
  private static func verifyCrashLog(
    directory: String, seed: UInt64, acknowledged: Offset, result: inout LogCrashTestResult
  ) -> String? {
    do throws(LogError) {
      let log = try Log.open(directory: directory)
      defer { try? log.close() }
      let partition = try log.topic(crashTopic).partition(0)
      let end = partition.endOffset
      if end < acknowledged { return "end offset \(end) is below the acknowledged \(acknowledged)" }
      var boundary: Int64 = 0
      while boundary < end.value { boundary += Int64(crashBatchSize(seed: seed, base: boundary)) }
      if boundary != end.value { return "the log ends at \(end), inside a batch (batches end at \(boundary))" }
      let reader = try partition.reader(from: Offset(0))
      var expected: Int64 = 0
      var mismatch: String?
      try reader.forEachRecord { view in
        let want = crashRecord(seed: seed, offset: view.offset.value)
        let got = (try? view.stored())?.record
        if view.offset.value != expected || got != want {
          mismatch = "record at offset \(view.offset) (expected offset \(expected)) differs from what was written"
          return false
        }
        expected += 1
        return true
      }
      if let mismatch { return mismatch }
      if expected != end.value { return "read \(expected) records, the end offset is \(end)" }
      result.recoveredRecords = expected
      return nil
    } catch {
      return error.description
    }
  }

  private static func parseAck(_ line: String) -> Offset? {
    let parts = line.split(separator: " ")
    guard parts.count == 3, parts[0] == "ack", let next = Int64(parts[2]) else { return nil }
    return Offset(next)
  }

  /// `meshc bench log append-child`: appends forever, printing `ack FIRST NEXT` after each
  /// acknowledged batch. Only the crash test runs it.
  public static func logAppendChild(directory: String, seed: UInt64, fsync: CrashTestFsync = .batch) -> Int32 {
    do throws(LogError) {
      let log = try Log.open(directory: directory)
      let topic: Topic
      if log.topicExists(crashTopic) {
        topic = try log.topic(crashTopic)
      } else {
        topic = try log.createTopic(
          crashTopic,
          config: TopicConfig(
            partitions: 1, retention: .infinite, segmentBytes: .kibibytes(64), segmentMs: nil, fsync: fsync.policy,
            indexIntervalBytes: 1024))
      }
      let partition = try topic.partition(0)
      while true {
        let base = partition.endOffset.value
        let count = crashBatchSize(seed: seed, base: base)
        let records = (base..<(base + Int64(count))).map { crashRecord(seed: seed, offset: $0) }
        let range = try partition.append(records)
        let line = Array("ack \(range.lowerBound) \(range.upperBound)\n".utf8)
        _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
      }
    } catch {
      let line = Array("error \(error)\n".utf8)
      _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
      return 1
    }
  }

  static func crashBatchSize(seed: UInt64, base: Int64) -> Int {
    Int(CrashRandom.mix(seed ^ UInt64(bitPattern: base) &* 0x9E37_79B9) % 20) + 1
  }

  /// The record the child writes at `offset`: everything derives from the seed and the offset.
  static func crashRecord(seed: UInt64, offset: Int64) -> Record {
    var random = CrashRandom(seed &+ UInt64(bitPattern: offset) &* 0x2545_F491)
    let length = Int(random.next() % 300) + 10
    let value = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    let headers = offset % 5 == 0 ? [RecordHeader(key: "n", value: Array(String(offset).utf8))] : []
    return Record(
      key: Array("k\(offset % 97)".utf8), value: value, headers: headers, timestamp: 1_700_000_000_000 + offset)
  }
}

/// SplitMix64, so the child and the parent derive the same records from the seed.
struct CrashRandom {
  private var state: UInt64
  init(_ seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return CrashRandom.mix(state)
  }

  static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
