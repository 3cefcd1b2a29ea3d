import Dispatch
import Foundation
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema

#if canImport(Glibc)
  import Glibc
#endif

/// `meshc bench parquet`: writes and reads the orders table of `bench avro` as Parquet in
/// snappy and zstd, and times pyarrow with one thread on the same table in the same run.
/// MB/s counts the table's column data (text bytes, offsets, fixed-width values).
public struct BenchParquetResult: Sendable {
  public struct Line: Sendable {
    public var codec: String
    public var bytes: Int
    public var writeSeconds: Double
    public var readSeconds: Double
    public var peerWriteSeconds: Double?
    public var peerReadSeconds: Double?
    public var peerBytes: Int?
  }

  public var records: Int
  public var dataBytes: Int
  public var lines: [Line]
  public var peer: String
  public var peakResidentBytes: Int64

  public var text: String {
    func rate(_ seconds: Double) -> String {
      String(format: "%6.1f MB/s %5.2f M rows/s", Double(dataBytes) / seconds / 1e6, Double(records) / seconds / 1e6)
    }
    func ratio(_ peer: Double?, _ ours: Double) -> String {
      peer.map { String(format: "%5.2f× pyarrow", $0 / ours) } ?? "(no pyarrow)"
    }
    var out =
      "meshc bench parquet: \(records) orders, \(String(format: "%.1f", Double(dataBytes) / 1e6)) MB of columns; \(peer)\n"
    for line in lines {
      let size = String(format: "%6.1f MB", Double(line.bytes) / 1e6)
      out += "  \(line.codec.padding(toLength: 7, withPad: " ", startingAt: 0)) \(size)"
      out += "  write \(rate(line.writeSeconds)) \(ratio(line.peerWriteSeconds, line.writeSeconds))"
      out += "  read \(rate(line.readSeconds)) \(ratio(line.peerReadSeconds, line.readSeconds))\n"
      if let peerWrite = line.peerWriteSeconds, let peerRead = line.peerReadSeconds {
        out += "  pyarrow \(String(format: "%6.1f MB", Double(line.peerBytes ?? 0) / 1e6))"
        out += "  write \(rate(peerWrite))               read \(rate(peerRead))\n"
      }
    }
    out += "  peak resident memory \(peakResidentBytes / 1_048_576) MB (the table itself is in memory)\n"
    return out
  }
}

/// `meshc bench parquet --gigabytes N`: a file of N GB written from orders made batch by
/// batch and read back, with the peak resident memory of each half.
public struct BenchParquetLargeResult: Sendable {
  public var records: Int
  public var bytes: Int64
  public var writeSeconds: Double
  public var readSeconds: Double
  public var writePeakBytes: Int64
  public var readPeakBytes: Int64

  public var text: String {
    func figures(_ seconds: Double) -> String {
      String(
        format: "%.1f s, %.1f MB/s of file, %.2f M rows/s", seconds, Double(bytes) / seconds / 1e6,
        Double(records) / seconds / 1e6)
    }
    return """
      meshc bench parquet --gigabytes: \(records) orders, \(String(format: "%.2f", Double(bytes) / 1e9)) GB file (snappy)
        write \(figures(writeSeconds)), peak resident \(writePeakBytes / 1_048_576) MB
        read  \(figures(readSeconds)), peak resident \(readPeakBytes / 1_048_576) MB

      """
  }
}

enum BenchParquet {
  /// pyarrow reads meshc's file and writes what it read with the same codec, one thread.
  static let peerScript = """
    from sys import argv
    from time import perf_counter
    from statistics import median
    from pyarrow import parquet as pq, set_cpu_count, set_io_thread_count, py_buffer, BufferReader, BufferOutputStream
    set_cpu_count(1)
    set_io_thread_count(1)
    data = py_buffer(open(argv[1], 'rb').read())
    reads, writes, size = [], [], 0
    # One untimed round first: the first pays for the process's memory.
    for round in range(int(argv[3]) + 1):
        start = perf_counter()
        table = pq.read_table(BufferReader(data), use_threads=False)
        read = perf_counter() - start
        sink = BufferOutputStream()
        start = perf_counter()
        pq.write_table(table, sink, compression=argv[2])
        if round > 0:
            reads.append(read)
            writes.append(perf_counter() - start)
        size = sink.getvalue().size
    print(median(reads), median(writes), size)
    """

  static func peakResidentBytes() -> Int64 {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int64(usage.ru_maxrss) * 1024
  }

  static func dataBytes(_ batches: [RecordBatch]) -> Int {
    batches.reduce(0) { total, batch in
      total
        + batch.columns.reduce(0) { sum, column in
          switch column.values {
          case .binary(let offsets, let bytes): sum + bytes.count + 4 * offsets.count
          case .int32(let values): sum + 4 * values.count
          case .int64(let values): sum + 8 * values.count
          case .float64(let values): sum + 8 * values.count
          default: sum
          }
        }
    }
  }
}

extension Benchmarks {
  static func orders() throws -> (Schema, RecordSchema) {
    guard let avro = Schema.parse(SourceFile(path: "bench.avsc", text: BenchAvro.schemaText)).schema,
      let schema = RecordSchema(avro: avro)
    else { throw CocoaError(.coderInvalidValue) }
    return (avro, schema)
  }

  public static func benchParquet(records: Int, repeats: Int) throws -> BenchParquetResult {
    let (avro, schema) = try orders()
    let batches = BenchAvro.batches(schema, records: records)
    let python = BenchAvro.peerPython(module: "pyarrow")
    var lines: [BenchParquetResult.Line] = []
    for codec in [Codec.snappy, .zstd] {
      let (file, writeSeconds, readSeconds) = try timeWriteAndRead(
        batches, records: records, repeats: repeats,
        writer: { try ParquetWriter(schema: avro, options: ParquetWriteOptions(codec: codec)) },
        reader: { try ParquetReader(source: ParquetBytes($0)) })
      var line = BenchParquetResult.Line(
        codec: codec.rawValue, bytes: file.count, writeSeconds: writeSeconds, readSeconds: readSeconds)
      if let python {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-bench-\(codec).parquet")
        try Data(file).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let said = try BenchAvro.run(python, ["-c", BenchParquet.peerScript, path.path, codec.rawValue, "\(repeats)"])
        let figures = said.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        if figures.count == 3 {
          line.peerReadSeconds = figures[0]
          line.peerWriteSeconds = figures[1]
          line.peerBytes = Int(figures[2])
        }
      }
      lines.append(line)
    }
    let peer = python.map { "pyarrow (1 thread) from \($0)" } ?? "pyarrow not found (set MESHC_PEER_PYTHON)"
    return BenchParquetResult(
      records: records, dataBytes: BenchParquet.dataBytes(batches), lines: lines,
      peer: peer + "; medians of \(repeats) runs", peakResidentBytes: BenchParquet.peakResidentBytes())
  }

  /// Writes orders to `path` until the file holds `gigabytes`, then reads it back.
  public static func benchParquetLarge(gigabytes: Double, path: String) throws -> BenchParquetLargeResult {
    let (avro, schema) = try orders()
    let target = Int64(gigabytes * 1e9)
    guard
      let output = FileHandle(forWritingAtPath: path)
        ?? {
          FileManager.default.createFile(atPath: path, contents: nil)
          return FileHandle(forWritingAtPath: path)
        }()
    else { throw CocoaError(.fileWriteUnknown) }
    defer { try? FileManager.default.removeItem(atPath: path) }
    var generator = BenchAvro.OrderGenerator(schema: schema)
    let writer = try ParquetWriter(schema: avro)
    var written: Int64 = 0
    let start = DispatchTime.now().uptimeNanoseconds
    while written < target {
      try writer.write(generator.next(RecordBatch.preferredRowCount))
      let bytes = writer.takeOutput()
      if !bytes.isEmpty {
        try output.write(contentsOf: bytes)
        written += Int64(bytes.count)
      }
    }
    try writer.finish()
    let tail = writer.takeOutput()
    try output.write(contentsOf: tail)
    written += Int64(tail.count)
    try output.close()
    let middle = DispatchTime.now().uptimeNanoseconds
    let writePeak = BenchParquet.peakResidentBytes()
    let reader = try ParquetReader(source: try ParquetFile(path: path))
    var count = 0
    while let batch = try reader.nextBatch() { count += batch.count }
    let end = DispatchTime.now().uptimeNanoseconds
    guard count == generator.made else { throw CocoaError(.coderReadCorrupt) }
    return BenchParquetLargeResult(
      records: count, bytes: written, writeSeconds: Double(middle - start) / 1e9,
      readSeconds: Double(end - middle) / 1e9,
      writePeakBytes: writePeak, readPeakBytes: BenchParquet.peakResidentBytes())
  }
}
