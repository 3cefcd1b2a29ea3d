import Foundation
import MeshTestSupport
import Testing

@testable import MeshLog

/// A scanner whose buffer reads ahead on a helper thread must see exactly what a plain
/// one sees — every batch, every damage at its place — however it moves, and the helper
/// must let go of a file before the file is closed.
@Suite struct ReadAheadTests {
  /// A segment file of random batches (a few bytes to several refills each), and where
  /// each starts.
  private func segment(
    _ io: SimulatedFileIO, batches count: Int, random: inout SeededRandom
  ) throws -> (handle: IOHandle, batches: [[UInt8]], starts: [Int64]) {
    let handle = try io.open("/segment", .create)
    var batches: [[UInt8]] = []
    var starts: [Int64] = []
    var size: Int64 = 0
    for index in 0..<count {
      let big = Int.random(in: 0..<10, using: &random) == 0
      let records = (0..<Int.random(in: 1...20, using: &random)).map { _ in
        Record(
          value: [UInt8](repeating: UInt8(index % 251), count: Int.random(in: 0...(big ? 3000 : 60), using: &random)))
      }
      let batch = encodedBatch(records, base: Offset(Int64(index) * 100))
      try io.write(handle, batch, at: size)
      starts.append(size)
      batches.append(batch)
      size += Int64(batch.count)
    }
    return (handle, batches, starts)
  }

  /// Where the helper's share of each read starts (it then moves as the threads wait):
  /// often all of it, often the least, else anything between.
  private func randomShare(_ random: inout SeededRandom) -> CopyShare {
    switch Int.random(in: 0..<3, using: &random) {
    case 0: CopyShare()
    case 1: CopyShare(sixtyFourths: CopyShare.smallest)
    default: CopyShare(sixtyFourths: Int.random(in: CopyShare.smallest...CopyShare.whole, using: &random))
    }
  }

  @Test func aScannerReadingAheadSeesWhatAPlainOneSees() throws {
    var random = SeededRandom()
    print("ReadAheadTests: seed \(random.seed)")
    for round in 0..<20 {
      let io = SimulatedFileIO()
      let file = try segment(io, batches: 200, random: &random)
      let total = file.starts.last.map { $0 + Int64(file.batches[file.batches.count - 1].count) } ?? 0
      // The file grows under the scanner: it starts with a part of it committed.
      var limit = file.starts[Int.random(in: 0..<file.starts.count, using: &random)]
      let buffer = ReadBuffer(
        minimumRead: Int.random(in: 64...4096, using: &random), readAheadAfter: 0, choosing: false,
        share: randomShare(&random))
      let scanner = BatchScanner(io: io, handle: file.handle, limit: limit, buffer: buffer)
      var index = 0
      var steps = 0
      while index < file.batches.count, steps < 2000 {
        steps += 1
        if Int.random(in: 0..<40, using: &random) == 0 {
          // A reader that stopped inside a batch reads it again from its start.
          index = max(0, index - Int.random(in: 0...3, using: &random))
          scanner.position = file.starts[index]
        }
        switch try scanner.next(expectedAtLeast: Offset(0)) {
        case .batch(let header, let bytes):
          #expect(header.baseOffset == Offset(Int64(index) * 100), "round \(round), seed \(random.seed)")
          #expect(Array(bytes) == file.batches[index], "round \(round), batch \(index), seed \(random.seed)")
          index += 1
        case .end:
          // The writer commits more: the limit moves to a later batch boundary.
          let later = file.starts.filter { $0 > limit } + [total]
          limit = later[Int.random(in: 0..<min(later.count, 5), using: &random)]
          scanner.limit = limit
        case .damaged(let reason, _):
          Issue.record("round \(round): \(reason) at batch \(index), seed \(random.seed)")
          index = file.batches.count
        }
      }
      #expect(index == file.batches.count, "round \(round), seed \(random.seed)")
      buffer.invalidate()
      io.close(file.handle)
      #expect(io.count(of: "read of a closed handle") == 0)
    }
  }

  @Test func damageAheadIsReportedByTheScannerAtItsPlace() throws {
    var random = SeededRandom()
    print("ReadAheadTests: damage seed \(random.seed)")
    for round in 0..<20 {
      let io = SimulatedFileIO()
      let file = try segment(io, batches: 60, random: &random)
      let damaged = Int.random(in: 3..<file.batches.count, using: &random)
      let flipped = file.starts[damaged] + Int64.random(in: 8..<Int64(file.batches[damaged].count), using: &random)
      var byte: [UInt8] = [0]
      _ = try io.readFully(file.handle, into: &byte, at: flipped)
      try io.write(file.handle, [byte[0] ^ 0x5A], at: flipped)
      let buffer = ReadBuffer(minimumRead: 256, readAheadAfter: 0, choosing: false, share: randomShare(&random))
      let scanner = BatchScanner(io: io, handle: file.handle, limit: try io.size(file.handle), buffer: buffer)
      var seen = 0
      loop: while true {
        switch try scanner.next(expectedAtLeast: Offset(0)) {
        case .batch: seen += 1
        case .damaged:
          #expect(scanner.position == file.starts[damaged], "round \(round), seed \(random.seed)")
          break loop
        case .end:
          Issue.record("round \(round): the damaged batch \(damaged) went unnoticed, seed \(random.seed)")
          break loop
        }
      }
      #expect(seen == damaged, "round \(round), seed \(random.seed)")
      buffer.invalidate()
      io.close(file.handle)
    }
  }

  /// `invalidate` must not return while the helper reads: the caller closes the file next,
  /// and a real descriptor number would be reused by the next open.
  @Test func theHelperLetsGoOfAFileBeforeItIsClosed() throws {
    var random = SeededRandom()
    let io = SimulatedFileIO()
    let file = try segment(io, batches: 100, random: &random)
    io.slowDownReads(microseconds: 200)
    let buffer = ReadBuffer(minimumRead: 128, readAheadAfter: 0, choosing: false, share: randomShare(&random))
    for _ in 0..<30 {
      let handle = try io.open("/segment", .readOnly)
      let scanner = BatchScanner(io: io, handle: handle, limit: try io.size(handle), buffer: buffer)
      for _ in 0..<Int.random(in: 3...12, using: &random) { _ = try scanner.next(expectedAtLeast: Offset(0)) }
      buffer.invalidate()
      io.close(handle)
    }
    io.close(file.handle)
    #expect(io.count(of: "read of a closed handle") == 0)
  }

  /// A scanner that keeps waiting for the helper's reads takes over part of each: with
  /// every read slow and nothing else to do, it waits at every batch.
  @Test func aReaderThatWaitsCopiesPartOfEachBatch() throws {
    let io = SimulatedFileIO()
    let handle = try io.open("/segment", .create)
    var batches: [[UInt8]] = []
    var size: Int64 = 0
    for index in 0..<60 {
      let batch = encodedBatch(
        (0..<4).map { _ in Record(value: [UInt8](repeating: UInt8(index), count: 1000)) },
        base: Offset(Int64(index) * 4))
      try io.write(handle, batch, at: size)
      batches.append(batch)
      size += Int64(batch.count)
    }
    io.slowDownReads(microseconds: 300)
    let buffer = ReadBuffer(minimumRead: 1024, readAheadAfter: 0, choosing: false)
    let scanner = BatchScanner(io: io, handle: handle, limit: size, buffer: buffer)
    for (index, batch) in batches.enumerated() {
      guard case .batch(_, let bytes) = try scanner.next(expectedAtLeast: Offset(0)) else {
        Issue.record("batch \(index) did not come")
        break
      }
      #expect(Array(bytes) == batch, "batch \(index)")
    }
    // Each wait moves a 64th towards the reader. Where the share ends depends on the
    // scheduler too (a reader that was descheduled finds every window full, and that moves
    // it back), so what is certain is that it moved.
    let smallest = try #require(buffer.smallestCopyShare)
    #expect(smallest < CopyShare.whole)
    buffer.invalidate()
    io.close(handle)
  }

  /// A read error is the scanner's to report: one the helper meets only leaves it idle,
  /// and the scanner's own read meets it again (or, when it has passed, succeeds).
  @Test func readErrorsReachTheScannerAndPassingOnesDoNoHarm() throws {
    var random = SeededRandom()
    print("ReadAheadTests: errors seed \(random.seed)")
    for round in 0..<20 {
      let io = SimulatedFileIO()
      let file = try segment(io, batches: 80, random: &random)
      let lasting = round % 2 == 0
      let skip = Int.random(in: 3...60, using: &random)
      io.addFault(.init(.read, skip: skip, count: lasting ? 1_000_000 : 1))
      let buffer = ReadBuffer(minimumRead: 256, readAheadAfter: 0, choosing: false, share: randomShare(&random))
      let scanner = BatchScanner(io: io, handle: file.handle, limit: try io.size(file.handle), buffer: buffer)
      var index = 0
      var failures = 0
      loop: while failures < 3 {
        do {
          switch try scanner.next(expectedAtLeast: Offset(0)) {
          case .batch(_, let bytes):
            #expect(Array(bytes) == file.batches[index], "round \(round), batch \(index), seed \(random.seed)")
            index += 1
          case .end: break loop
          case .damaged(let reason, _):
            Issue.record("round \(round): \(reason) at batch \(index), seed \(random.seed)")
            break loop
          }
        } catch {
          failures += 1
        }
      }
      // A lasting fault is met only by a scan that needs more reads than it lets through
      // (a helper that guessed a long read may take many small batches at once).
      if lasting, io.count(of: "read") > skip {
        #expect(failures == 3 && index < file.batches.count, "round \(round), seed \(random.seed)")
      } else {
        #expect(index == file.batches.count && failures <= 1, "round \(round), seed \(random.seed)")
      }
      buffer.invalidate()
      io.close(file.handle)
    }
  }
}
