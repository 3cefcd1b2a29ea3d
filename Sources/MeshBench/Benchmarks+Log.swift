import Foundation
import MeshBytes
import MeshLog

#if canImport(Glibc)
  import Glibc
#endif

/// Options of `meshc bench log`.
public struct BenchLogOptions: Sendable {
  /// Payload bytes per measured run (records × record size).
  public var bytes: Int64 = 512 * 1_000_000
  public var recordBytes = 100
  public var batchRecords = 1000
  public var repeats = 5
  /// Where the files go (the baseline and the log share it, so they share a file system).
  public var directory: String?

  public init() {}
}

/// Figures of one measured run: one write of each kind, then several reads of each,
/// since a read takes a tenth of a write and its figure varies more from one moment to the
/// next on a shared machine.
public struct BenchLogRun: Sendable {
  public var baselineWriteSeconds: Double
  public var appendSeconds: Double
  public var reads: [BenchLogReads]
  /// Decoding the records of one batch already in memory, again and again: the decoder
  /// alone, without the copy and the checksum.
  public var decodeSeconds: Double
}

/// One read of the baseline file and two of the log, taken one right after the other.
public struct BenchLogReads: Sendable {
  public var baselineSeconds: Double
  public var recordsSeconds: Double
  /// Reading checksummed batches without decoding their records.
  public var batchesSeconds: Double
}

/// What `meshc bench log` measured.
public struct BenchLogResult: Sendable {
  public var options: BenchLogOptions
  public var runs: [BenchLogRun]
  public var peakResidentBytes: Int64
  public var records: Int64

  public var baselineWriteSeconds: Double { median(runs.map(\.baselineWriteSeconds)) }
  public var appendSeconds: Double { median(runs.map(\.appendSeconds)) }
  private var reads: [BenchLogReads] { runs.flatMap(\.reads) }
  public var baselineReadSeconds: Double { median(reads.map(\.baselineSeconds)) }
  public var logReadSeconds: Double { median(reads.map(\.recordsSeconds)) }
  public var batchReadSeconds: Double { median(reads.map(\.batchesSeconds)) }
  public var decodeSeconds: Double { median(runs.map(\.decodeSeconds)) }
  /// Medians of ratios, each pairing a baseline with the log measured right beside it.
  public var appendRatio: Double { median(runs.map { $0.baselineWriteSeconds / $0.appendSeconds }) }
  public var readRatio: Double { median(reads.map { $0.baselineSeconds / $0.recordsSeconds }) }
  public var batchReadRatio: Double { median(reads.map { $0.baselineSeconds / $0.batchesSeconds }) }

  /// The report people read.
  public var text: String {
    let payload = Double(options.bytes)
    func megabytes(_ seconds: Double) -> String { String(format: "%8.1f MB/s", payload / seconds / 1e6) }
    func recordsPerSecond(_ seconds: Double) -> String {
      String(format: "%6.2f M records/s", Double(records) / seconds / 1e6)
    }
    let decodeNanoseconds = String(format: "%.1f ns a record", decodeSeconds / Double(records) * 1e9)
    // Rounded down, so that a ratio just under its target never prints as the target.
    func ratio(_ value: Double) -> String { String(format: "%.2f", (value * 100 + 1e-9).rounded(.down) / 100) }
    let appendVerdict = appendRatio >= 0.5 ? "meets" : "MISSES"
    let readVerdict = readRatio >= 0.7 ? "meets" : "MISSES"
    return """
      meshc bench log: \(records) records of \(options.recordBytes) bytes (\(ByteCount(options.bytes)) of payload), \
      batches of \(options.batchRecords), fsync=interval (1s), medians of \(runs.count) run\(runs.count == 1 ? "" : "s") \
      (reads: of \(reads.count))
        baseline write (64 KiB buffered write + final fsync) \(megabytes(baselineWriteSeconds))
        log append                                           \(megabytes(appendSeconds))  \(recordsPerSecond(appendSeconds))  ratio \(ratio(appendRatio)) (target ≥ 0.50: \(appendVerdict))
        baseline read  (64 KiB sequential reads)             \(megabytes(baselineReadSeconds))
        log read (checksummed, every record decoded)         \(megabytes(logReadSeconds))  \(recordsPerSecond(logReadSeconds))  ratio \(ratio(readRatio)) (target ≥ 0.70: \(readVerdict))
        log read, whole batches (checksummed, not decoded)   \(megabytes(batchReadSeconds))  \(recordsPerSecond(batchReadSeconds))  ratio \(ratio(batchReadRatio))
        decoding one batch in memory, again and again        \(megabytes(decodeSeconds))  \(recordsPerSecond(decodeSeconds))  \(decodeNanoseconds)
        peak RSS \(ByteCount(peakResidentBytes))
      """
  }
}

/// `meshc bench log`: append and read throughput of the log next to a plain buffered
/// write and read of the same payload bytes on the same file system, measured in the same
/// process. One warm-up run, then `repeats` runs, each pairing baseline and log in
/// alternating order; medians and ratios are reported. Files are deleted after each run,
/// and memory stays flat however large `bytes` is (nothing buffers a whole segment).
extension Benchmarks {
  public static func benchLog(_ options: BenchLogOptions) throws -> BenchLogResult {
    let root = options.directory.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
    let directory = root.appendingPathComponent("meshc-bench-log-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let records = max(1, options.bytes / Int64(options.recordBytes))
    // One batch of records, built once: the producer already has its records in memory.
    var generator = CrashRandom(42)
    let batch = (0..<options.batchRecords).map { _ in
      Record(value: (0..<options.recordBytes).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
    }
    var warmUp = options
    warmUp.bytes = max(Int64(options.recordBytes * options.batchRecords), min(options.bytes / 8, 256_000_000))
    _ = try run(warmUp, batch: batch, directory: directory, round: -1)
    var runs: [BenchLogRun] = []
    for round in 0..<max(1, options.repeats) {
      runs.append(try run(options, batch: batch, directory: directory, round: round))
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return BenchLogResult(
      options: options, runs: runs, peakResidentBytes: Int64(usage.ru_maxrss) * 1024, records: records)
  }

  private static func run(
    _ options: BenchLogOptions, batch: [Record], directory: String, round: Int
  ) throws -> BenchLogRun {
    let baselinePath = directory + "/baseline.bin"
    let logDirectory = directory + "/log"
    let records = max(1, options.bytes / Int64(options.recordBytes))
    var payload = [UInt8]()
    for record in batch { payload += record.value ?? [] }
    var baselineWrite = 0.0
    var append = 0.0
    // Alternate the order so that neither side always runs on a warmer machine.
    if round % 2 == 0 {
      baselineWrite = try timeBaselineWrite(
        path: baselinePath, payload: payload, total: records * Int64(options.recordBytes))
      append = try timeAppend(directory: logDirectory, batch: batch, records: records)
    } else {
      append = try timeAppend(directory: logDirectory, batch: batch, records: records)
      baselineWrite = try timeBaselineWrite(
        path: baselinePath, payload: payload, total: records * Int64(options.recordBytes))
    }
    var reads: [BenchLogReads] = []
    for read in 0..<readsPerRun {
      // The order alternates within each trio too.
      let forward = (round + read) % 2 == 0
      let first =
        forward
        ? try timeBaselineRead(path: baselinePath) : try timeBatchRead(directory: logDirectory, records: records)
      let everyRecord = try timeLogRead(directory: logDirectory, records: records)
      let last =
        forward
        ? try timeBatchRead(directory: logDirectory, records: records) : try timeBaselineRead(path: baselinePath)
      reads.append(
        BenchLogReads(
          baselineSeconds: forward ? first : last, recordsSeconds: everyRecord, batchesSeconds: forward ? last : first))
    }
    let decode = try timeDecode(directory: logDirectory, records: records)
    try? FileManager.default.removeItem(atPath: baselinePath)
    try? FileManager.default.removeItem(atPath: logDirectory)
    return BenchLogRun(baselineWriteSeconds: baselineWrite, appendSeconds: append, reads: reads, decodeSeconds: decode)
  }

  /// Reads of each kind per run.
  static let readsPerRun = 3

  private static func seconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// The baseline: the same bytes, written through a 64 KiB buffer with `write`, then one fsync.
  static func timeBaselineWrite(path: String, payload: [UInt8], total: Int64) throws -> Double {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw LogError.io(FileIOError(.open, path: path, errno: errno)) }
    defer { close(descriptor) }
    let bufferSize = 64 * 1024
    let start = DispatchTime.now().uptimeNanoseconds
    try payload.withUnsafeBytes { source in
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
      defer { buffer.deallocate() }
      guard let target = buffer.baseAddress, let origin = source.baseAddress, source.count > 0 else { return }
      var filled = 0
      var sourceAt = 0
      var written: Int64 = 0
      while written < total {
        let take = Int(min(Int64(min(bufferSize - filled, source.count - sourceAt)), total - written - Int64(filled)))
        (target + filled).copyMemory(from: origin + sourceAt, byteCount: take)
        filled += take
        sourceAt = (sourceAt + take) % source.count
        if filled == bufferSize || written + Int64(filled) == total {
          var done = 0
          while done < filled {
            let count = write(descriptor, target + done, filled - done)
            guard count > 0 else { throw LogError.io(FileIOError(.write, path: path, errno: errno)) }
            done += count
          }
          written += Int64(filled)
          filled = 0
        }
      }
    }
    fsync(descriptor)
    return seconds(since: start)
  }

  static func timeBaselineRead(path: String) throws -> Double {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw LogError.io(FileIOError(.open, path: path, errno: errno)) }
    defer { close(descriptor) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    let start = DispatchTime.now().uptimeNanoseconds
    var checksum: UInt8 = 0
    while true {
      let count = read(descriptor, buffer.baseAddress, buffer.count)
      if count <= 0 { break }
      checksum &+= buffer[count - 1]
    }
    let elapsed = seconds(since: start)
    if checksum == 1 { print("", terminator: "") }  // keeps the loop observable
    return elapsed
  }

  static func timeAppend(directory: String, batch: [Record], records: Int64) throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let log = try Log.open(directory: directory)
    let partition = try log.createTopic(
      "bench", config: TopicConfig(partitions: 1, retention: .infinite, fsync: .interval(milliseconds: 1000))
    ).partition(0)
    var appended: Int64 = 0
    while appended < records {
      let count = Int(min(Int64(batch.count), records - appended))
      try partition.append(count == batch.count ? batch[...] : batch[0..<count])
      appended += Int64(count)
    }
    try log.close()
    return seconds(since: start)
  }

  /// Decodes the first batch of the log over and over until as many records as the log
  /// holds have been decoded: the decoding loop on its own, with the batch in cache.
  static func timeDecode(directory: String, records: Int64) throws -> Double {
    let log = try Log.open(directory: directory, writable: false)
    let reader = try log.topic("bench").partition(0).reader(from: Offset(0))
    var elapsed = 0.0
    var decoded: Int64 = 0
    var bytes = 0
    try reader.forEachBatch { batch in
      let start = DispatchTime.now().uptimeNanoseconds
      while decoded < records {
        var cursor = batch.records
        while let record = try cursor.next() {
          decoded += 1
          bytes &+= record.value?.count ?? 0
        }
      }
      elapsed = seconds(since: start)
      return false
    }
    guard decoded >= records, bytes > 0 else {
      throw LogError.offsetOutOfRange(
        topic: "bench", partition: 0, offset: Offset(decoded), start: Offset(0), end: Offset(records))
    }
    return elapsed * Double(records) / Double(decoded)
  }

  static func timeBatchRead(directory: String, records: Int64) throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let log = try Log.open(directory: directory, writable: false)
    let reader = try log.topic("bench").partition(0).reader(from: Offset(0))
    var count: Int64 = 0
    try reader.forEachBatch { batch in
      count += Int64(batch.recordCount)
      return true
    }
    let elapsed = seconds(since: start)
    guard count == records else {
      throw LogError.offsetOutOfRange(
        topic: "bench", partition: 0, offset: Offset(count), start: Offset(0), end: Offset(records))
    }
    return elapsed
  }

  static func timeLogRead(directory: String, records: Int64) throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let log = try Log.open(directory: directory, writable: false)
    let reader = try log.topic("bench").partition(0).reader(from: Offset(0))
    var count: Int64 = 0
    var bytes = 0
    try reader.forEachRecord { record in
      count += 1
      bytes &+= record.value?.count ?? 0
      return true
    }
    let elapsed = seconds(since: start)
    guard count == records else {
      throw LogError.offsetOutOfRange(
        topic: "bench", partition: 0, offset: Offset(count), start: Offset(0), end: Offset(records))
    }
    return elapsed
  }
}
