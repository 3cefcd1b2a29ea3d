import Foundation
import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

/// Damage to real files on disk: flipped bytes, cut segments, missing or garbage
/// indexes, stray files. Each gets the documented recovery or a precise error; none
/// crashes the log or a reader.
@Suite struct CorruptionTests {
  /// A data directory with one topic of several segments, closed cleanly or not.
  private func makeLog(records: Int = 60, clean: Bool = true) throws -> (String, [Record]) {
    let directory = try Fixtures.makeTemporaryDirectory("corruption").path
    let log = try Log.open(directory: directory)
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 600)).partition(0)
    let all = (0..<records).map { record($0) }
    for chunk in stride(from: 0, to: records, by: 3) {
      try partition.append(Array(all[chunk..<min(chunk + 3, records)]))
    }
    if clean { try log.close() }
    return (directory, all)
  }

  private func segmentFiles(_ directory: String, _ extension: String) throws -> [String] {
    let folder = directory + "/topics/t/0"
    return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(`extension`) }.sorted()
      .map { folder + "/" + $0 }
  }

  private func readEverything(_ directory: String) throws -> [StoredRecord] {
    try readAll(try Log.open(directory: directory).topic("t").partition(0))
  }

  @Test func aFlippedByteInAClosedSegmentIsReportedPrecisely() throws {
    let (directory, all) = try makeLog()
    let segments = try segmentFiles(directory, ".log")
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segments[1])))
    let firstBatch = Int(bytes[0]) | Int(bytes[1]) << 8 + 8
    bytes[firstBatch + 50] ^= 0x01
    try Data(bytes).write(to: URL(fileURLWithPath: segments[1]))
    let partition = try Log.open(directory: directory).topic("t").partition(0)
    let base = try #require(SegmentName.baseOffset(ofLog: LogPath.name(of: segments[1])))
    let reader = try partition.reader(from: Offset(0))
    var good: [StoredRecord] = []
    do {
      while true {
        let next = try reader.read(maxRecords: 1)
        if next.isEmpty { break }
        good += next
      }
      Issue.record("the damage went unnoticed")
    } catch {
      guard case .corruptBatch(let corrupt) = error else { throw error }
      #expect(corrupt.segment == segments[1])
      #expect(corrupt.position == Int64(firstBatch))
      #expect(corrupt.offset == base + 3)
      #expect(good.map(\.record) == Array(all[..<Int(base.value + 3)]))
    }
    // Readers that start after the damaged batch are not affected.
    let after = try readAll(partition, from: base + 6)
    #expect(after.map(\.record) == Array(all[Int(base.value + 6)...]))
  }

  @Test func aTornTailIsTruncatedToTheLastWholeBatch() throws {
    let (directory, all) = try makeLog(clean: false)
    let active = try #require(try segmentFiles(directory, ".log").last)
    let size = try FileManager.default.attributesOfItem(atPath: active)[.size] as? Int ?? 0
    // Cut the last batch in half, as a crash mid-write leaves it: the process died
    // before acknowledging it, so its high watermark still says 57.
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: active))
    try handle.truncate(atOffset: UInt64(size - 20))
    try handle.close()
    var watermark = [UInt8](repeating: 0, count: HighWatermark.size)
    HighWatermark.encode(Offset(Int64(all.count - 3)), into: &watermark)
    try Data(watermark).write(to: URL(fileURLWithPath: directory + "/topics/t/0/" + HighWatermark.fileName))
    let recovered = try readEverything(directory)
    #expect(recovered.map(\.record) == Array(all.prefix(recovered.count)))
    #expect(recovered.count == all.count - 3)
    let after = try FileManager.default.attributesOfItem(atPath: active)[.size] as? Int ?? 0
    #expect(after < size - 20)
    // Garbage appended after the last batch is cut too.
    let appendHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: active))
    try appendHandle.seekToEnd()
    try appendHandle.write(contentsOf: Data([0xFF, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    try appendHandle.close()
    #expect(try readEverything(directory).count == all.count - 3)
  }

  @Test func missingAndGarbageIndexesAreRebuilt() throws {
    let (directory, all) = try makeLog()
    let indexes = try segmentFiles(directory, ".index") + segmentFiles(directory, ".timeindex")
    for (number, path) in indexes.enumerated() {
      if number % 2 == 0 {
        try FileManager.default.removeItem(atPath: path)
      } else {
        try Data((0..<97).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: path))
      }
    }
    let partition = try Log.open(directory: directory).topic("t").partition(0)
    #expect(try readAll(partition).map(\.record) == all)
    for start in [7, 23, 41, 59] {
      #expect(try readAll(partition, from: Offset(Int64(start))).first?.record == all[start])
    }
    #expect(try partition.reader(fromTimestamp: 1_000_030).position == Offset(30))
    // Rebuilt indexes are back on disk, sealed.
    for path in indexes.filter({ !$0.contains(SegmentName.stem(partition.snapshot().active.baseOffset)) }) {
      #expect(FileManager.default.fileExists(atPath: path))
    }
  }

  @Test func aTruncatedClosedSegmentIsDamageNotSilentLoss() throws {
    let (directory, _) = try makeLog()
    let first = try segmentFiles(directory, ".log")[0]
    let size = try FileManager.default.attributesOfItem(atPath: first)[.size] as? Int ?? 0
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: first))
    try handle.truncate(atOffset: UInt64(size - 10))
    try handle.close()
    let partition = try Log.open(directory: directory).topic("t").partition(0)
    #expect(partition.damage.count == 1)
    #expect(partition.damage.first?.segment == first)
    #expect(throws: LogError.self) { _ = try readAll(partition) }
  }

  @Test func strayFilesInTheDataDirectoryAreIgnoredOrCleanedUp() throws {
    let (directory, all) = try makeLog()
    let folder = directory + "/topics/t/0"
    let strays = [
      directory + "/notes.txt", directory + "/topics/README", folder + "/hello.log", folder + "/123.log",
      folder + "/00000000000000000abc.log", folder + "/00000000000000000000.log.cleaned",
      folder + "/00000000000000099999.index", folder + "/partial.tmp",
    ]
    for path in strays { try Data("junk".utf8).write(to: URL(fileURLWithPath: path)) }
    try FileManager.default.createDirectory(atPath: directory + "/topics/empty-dir", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      atPath: folder + "/00000000000000077777.log", withIntermediateDirectories: true)
    let log = try Log.open(directory: directory)
    #expect(try log.topicNames() == ["t"])
    #expect(try readAll(try log.topic("t").partition(0)).map(\.record) == all)
    // Leftovers of interrupted work are removed; unknown files are left alone.
    #expect(!FileManager.default.fileExists(atPath: folder + "/00000000000000000000.log.cleaned"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/00000000000000099999.index"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/partial.tmp"))
    #expect(FileManager.default.fileExists(atPath: folder + "/hello.log"))
    // A directory without a configuration is not a topic; opening it says why.
    #expect(throws: LogError.self) { try log.topic("empty-dir") }
  }

  @Test func randomDamageNeverCrashes() throws {
    var random = SeededRandom()
    print("CorruptionTests: seed \(random.seed)")
    let rounds = SeededRandom.longTests ? 200 : 20
    for _ in 0..<rounds {
      let (directory, _) = try makeLog(records: 30, clean: Bool.random(using: &random))
      let files = try segmentFiles(directory, "")
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        guard let path = files.randomElement(using: &random),
          var bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path))),
          !bytes.isEmpty
        else { continue }
        switch Int.random(in: 0..<3, using: &random) {
        case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
        case 1: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
        default:
          bytes += (0..<Int.random(in: 1...100, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
      }
      // Opening and reading either works or fails with a LogError; nothing else.
      do {
        let log = try Log.open(directory: directory)
        let partition = try log.topic("t").partition(0)
        _ = try? readAll(partition)
        _ = try? partition.reader(fromTimestamp: 1_000_010)
        _ = try? partition.append([record(1000)])
        try? log.close()
      } catch {
        #expect(!error.description.isEmpty)
      }
    }
  }
}
