import Dispatch
import Foundation
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema

/// `meshc bench avro`: writes and reads an orders table as Avro container files in each
/// codec, and times fastavro (the peer users know) on the same files in the same run.
public struct BenchAvroResult: Sendable {
  public struct Line: Sendable {
    public var codec: String
    public var bytes: Int
    public var writeSeconds: Double
    public var readSeconds: Double
    public var peerWriteSeconds: Double?
    public var peerReadSeconds: Double?
  }

  public var records: Int
  public var lines: [Line]
  public var peer: String

  public var text: String {
    func rate(_ seconds: Double) -> String { String(format: "%6.2f M rows/s", Double(records) / seconds / 1e6) }
    func ratio(_ peer: Double?, _ ours: Double) -> String {
      peer.map { String(format: "%5.2f× fastavro", $0 / ours) } ?? "(no fastavro)"
    }
    var out = "meshc bench avro: \(records) orders (strings, ints, doubles, timestamps, a nullable column); \(peer)\n"
    for line in lines {
      let size = String(format: "%7.1f MB", Double(line.bytes) / 1e6)
      out += "  \(line.codec.padding(toLength: 9, withPad: " ", startingAt: 0)) \(size)"
      out += "  write \(rate(line.writeSeconds)) \(ratio(line.peerWriteSeconds, line.writeSeconds))"
      out += "  read \(rate(line.readSeconds)) \(ratio(line.peerReadSeconds, line.readSeconds))\n"
    }
    return out
  }
}

enum BenchAvro {
  static let schemaText = """
    {"type": "record", "name": "Order", "namespace": "bench", "fields": [
      {"name": "order_id", "type": "string"},
      {"name": "customer_id", "type": "string"},
      {"name": "quantity", "type": "int"},
      {"name": "amount", "type": "double"},
      {"name": "placed_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "coupon", "type": ["null", "string"], "default": null}
    ]}
    """

  /// Batches of generated orders; one in three has a coupon.
  static func batches(_ schema: RecordSchema, records: Int) -> [RecordBatch] {
    var generator = OrderGenerator(schema: schema)
    var batches: [RecordBatch] = []
    while generator.made < records {
      batches.append(generator.next(min(RecordBatch.preferredRowCount, records - generator.made)))
    }
    return batches
  }

  /// Orders made batch by batch, so that a large file never has its records in memory.
  struct OrderGenerator {
    let schema: RecordSchema
    private(set) var made = 0
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(schema: RecordSchema) { self.schema = schema }

    private mutating func random() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }

    mutating func next(_ rows: Int) -> RecordBatch {
      var ids = TextColumn()
      var customers = TextColumn()
      var coupons = TextColumn()
      var validity = Bitmap()
      var quantity: [Int32] = []
      var amount: [Double] = []
      var time: [Int64] = []
      for row in 0..<rows {
        let r = random()
        ids.append("o-\(made + row)")
        customers.append("c-\(r % 100_000)")
        quantity.append(Int32(r % 20) + 1)
        amount.append(Double(r % 50_000) / 100)
        time.append(1_767_225_600_000 + Int64(r % 86_400_000))
        let coupon = r % 3 == 0
        validity.append(coupon)
        coupons.append(coupon ? "SPRING\(r % 10)" : "")
      }
      let columns = [
        ids.column(.string), customers.column(.string), Column(type: .int32, values: .int32(quantity)),
        Column(type: .float64, values: .float64(amount)),
        Column(type: .timestamp(.millis, utc: true), values: .int64(time)),
        Column(type: .string, values: coupons.column(.string).values, validity: validity),
      ]
      made += rows
      return RecordBatch(schema: schema, columns: columns, rowCount: rows)
    }
  }

  struct TextColumn {
    var offsets: [Int32] = [0]
    var bytes: [UInt8] = []
    mutating func append(_ text: String) {
      bytes += text.utf8
      offsets.append(Int32(bytes.count))
    }
    func column(_ type: DataType) -> Column { Column(type: type, values: .binary(offsets: offsets, bytes: bytes)) }
  }

  /// fastavro reads the file and writes what it read with the same codec.
  static let peerScript = """
    from sys import argv
    from io import BytesIO
    from time import perf_counter
    from statistics import median
    from fastavro import reader, writer, parse_schema
    data = open(argv[1], 'rb').read()
    reads, writes = [], []
    for _ in range(int(argv[3])):
        start = perf_counter()
        records_in = reader(BytesIO(data))
        schema = records_in.writer_schema
        records = list(records_in)
        reads.append(perf_counter() - start)
        start = perf_counter()
        writer(BytesIO(), parse_schema(schema), records, codec=argv[2])
        writes.append(perf_counter() - start)
    print(median(reads), median(writes))
    """

  /// A python that has fastavro: `MESHC_PEER_PYTHON`, the test oracles' environment, or python3.
  static func peerPython(module: String = "fastavro") -> String? {
    let candidates = [
      ProcessInfo.processInfo.environment["MESHC_PEER_PYTHON"], ".venv/oracles/bin/python", "/usr/bin/python3",
    ].compactMap { $0 }
    return candidates.first { path in
      FileManager.default.isExecutableFile(atPath: path) && ((try? run(path, ["-c", "import \(module)"])) != nil)
    }
  }

  static func run(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    return String(decoding: data, as: UTF8.self)
  }
}

extension Benchmarks {
  /// Writes `batches` as one file and reads it back, `repeats` times: the file and the
  /// median seconds of writing and of reading.
  static func timeWriteAndRead(
    _ batches: [RecordBatch], records: Int, repeats: Int, writer: () throws -> any BatchFileWriter,
    reader: ([UInt8]) throws -> any BatchFileReader
  ) throws -> (file: [UInt8], write: Double, read: Double) {
    var writes: [Double] = []
    var reads: [Double] = []
    var file: [UInt8] = []
    // One untimed round first (pyarrow's script does the same): the first round pays for
    // the process's memory, which later rounds (and a long-running run) reuse.
    for round in 0...repeats {
      let start = DispatchTime.now().uptimeNanoseconds
      file = try writer().file(of: batches)
      let middle = DispatchTime.now().uptimeNanoseconds
      let opened = try reader(file)
      var count = 0
      while let batch = try opened.nextBatch() { count += batch.count }
      let end = DispatchTime.now().uptimeNanoseconds
      guard count == records else { throw CocoaError(.coderReadCorrupt) }
      guard round > 0 else { continue }
      writes.append(Double(middle - start) / 1e9)
      reads.append(Double(end - middle) / 1e9)
    }
    return (file, median(writes), median(reads))
  }

  public static func benchAvro(records: Int, repeats: Int) throws -> BenchAvroResult {
    guard let avro = Schema.parse(SourceFile(path: "bench.avsc", text: BenchAvro.schemaText)).schema,
      let schema = RecordSchema(avro: avro)
    else { throw CocoaError(.coderInvalidValue) }
    let batches = BenchAvro.batches(schema, records: records)
    let python = BenchAvro.peerPython()
    var lines: [BenchAvroResult.Line] = []
    for codecName in ["null", "deflate", "snappy", "zstandard"] {
      guard let codec = AvroContainer.codecs[codecName] else { continue }
      let (file, writeSeconds, readSeconds) = try timeWriteAndRead(
        batches, records: records, repeats: repeats, writer: { try AvroContainerWriter(schema: avro, codec: codec) },
        reader: { try AvroContainerReader(bytes: $0) })
      var line = BenchAvroResult.Line(
        codec: codecName, bytes: file.count, writeSeconds: writeSeconds, readSeconds: readSeconds)
      if let python {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-bench-\(codecName).avro")
        try Data(file).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let said = try BenchAvro.run(python, ["-c", BenchAvro.peerScript, path.path, codecName, "\(repeats)"])
        let figures = said.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        if figures.count == 2 {
          line.peerReadSeconds = figures[0]
          line.peerWriteSeconds = figures[1]
        }
      }
      lines.append(line)
    }
    let peer = python.map { "fastavro from \($0)" } ?? "fastavro not found (set MESHC_PEER_PYTHON)"
    return BenchAvroResult(records: records, lines: lines, peer: peer + "; medians of \(repeats) runs")
  }
}
