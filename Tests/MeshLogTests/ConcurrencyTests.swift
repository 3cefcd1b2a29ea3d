import Foundation
import MeshBytes
import MeshTestSupport
import Synchronization
import Testing

@testable import MeshLog

/// One writer, many readers, on threads of their own (blocking I/O never runs on the
/// Swift concurrency pool).
@Suite struct ConcurrencyTests {
  @Test func readersSeeAWholeOrderedPrefixWhileTheWriterAppends() throws {
    let directory = try Fixtures.makeTemporaryDirectory("concurrency").path
    let log = try Log.open(directory: directory)
    let partition = try log.createTopic("t", config: tinyConfig(segmentBytes: 2000, fsync: .none)).partition(0)
    let total = 3000
    let acknowledged = Mutex<Int64>(0)
    let failures = Mutex<[String]>([])
    let group = DispatchGroup()
    for readerNumber in 0..<4 {
      Thread.detachNewThread {
        group.enter()
        defer { group.leave() }
        do {
          // Half of them read ahead on a helper thread while the segment they read grows.
          let reading =
            readerNumber % 2 == 0 ? PartitionReader.Reading.standard : .init(minimumRead: 128, readAheadAfter: 0)
          let reader = try partition.reader(from: Offset(0), clamp: false, reading: reading)
          var next: Int64 = 0
          while next < Int64(total) {
            let records = try reader.read(maxRecords: 97)
            if records.isEmpty {
              _ = reader.waitForData(milliseconds: 1000)
              continue
            }
            // Readers never get ahead of what the writer was told is acknowledged…
            let limit = acknowledged.withLock { $0 } + 50
            for record in records {
              // …and see every offset once, in order, with the bytes that were written.
              if record.offset.value != next || record.value != Array("value-\(next)".utf8)
                || record.offset.value >= limit
              {
                failures.withLock { $0.append("reader \(readerNumber): offset \(record.offset), expected \(next)") }
                return
              }
              next += 1
            }
          }
        } catch {
          failures.withLock { $0.append("reader \(readerNumber): \(error)") }
        }
      }
    }
    for start in stride(from: 0, to: total, by: 50) {
      let range = try partition.append((start..<(start + 50)).map { record($0) })
      acknowledged.withLock { $0 = range.upperBound.value }
    }
    #expect(group.wait(timeout: .now() + 60) == .success)
    #expect(failures.withLock { $0 } == [])
    try log.close()
  }

  @Test func followersWakeWhenTheWriterAppendsWithoutPolling() throws {
    let log = try Log.open(directory: "/d", io: SimulatedFileIO(), clock: ManualClock())
    let partition = try log.createTopic("t", config: tinyConfig()).partition(0)
    let reader = try partition.reader(from: Offset(0))
    // Nothing yet: the wait times out.
    let started = Date()
    #expect(!reader.waitForData(milliseconds: 50))
    #expect(Date().timeIntervalSince(started) >= 0.045)
    // An append on another thread wakes it well before its timeout.
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: 0.05)
      _ = try? partition.append([record(0)])
    }
    let waitStart = Date()
    #expect(reader.waitForData(milliseconds: 10_000))
    #expect(Date().timeIntervalSince(waitStart) < 5)
    #expect(try reader.read().map(\.offset) == [Offset(0)])
  }
}
