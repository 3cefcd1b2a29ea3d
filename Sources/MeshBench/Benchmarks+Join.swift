import Dispatch
import Foundation
import MeshData
import MeshFormats
import MeshPlan
import MeshRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// `meshc bench join`: the join operators on generated batches — a stream-table join of
/// N orders against a table of K customers (each loaded at time 0, then updated as the
/// orders go by), and a stream-stream join of N orders with their N payments within 10
/// minutes — timed around the operators' calls only (no files, no log); then DuckDB with
/// one thread on the same records, written to Parquet, in the same run: an ASOF join and
/// a join with the same time bounds.
public struct BenchJoinResult: Sendable {
  public struct Line: Sendable {
    public var name: String
    public var inputRecords: Int
    public var outputRecords: Int
    public var seconds: Double
    public var peakState: Int
    public var peakResidentBytes: Int64
    public var peerSeconds: Double?
    public var peerRecords: Int?
  }

  public var lines: [Line]
  public var peer: String

  public var text: String {
    var out = "meshc bench join: the operators on generated batches; \(peer)\n"
    for line in lines {
      out += "  \(line.name): \(line.inputRecords) records in, \(line.outputRecords) out\n"
      out += String(
        format: "    meshc  %.2f s  %.2f M records/s  peak state %d records  peak resident %lld MB\n", line.seconds,
        Double(line.inputRecords) / line.seconds / 1e6, line.peakState, line.peakResidentBytes / 1_048_576)
      if let peerSeconds = line.peerSeconds {
        out += String(
          format: "    duckdb (1 thread) %.2f s  %.2f M records/s  %d out\n", peerSeconds,
          Double(line.inputRecords) / peerSeconds / 1e6, line.peerRecords ?? 0)
        out += String(format: "    meshc / duckdb: %.2f (target ≥ 0.5)\n", peerSeconds / line.seconds)
      }
    }
    return out
  }
}

enum BenchJoin {
  static let timestamp = DataType.timestamp(.millis, utc: true)
  static let orders = RecordSchema(
    name: "orders",
    fields: [
      DataField(name: "order_id", type: .string, nullable: false),
      DataField(name: "customer", type: .string, nullable: false),
      DataField(name: "amount", type: .float64, nullable: false),
      DataField(name: "placed_at", type: timestamp, nullable: false),
    ])
  static let customers = RecordSchema(
    name: "customers",
    fields: [
      DataField(name: "customer", type: .string, nullable: false),
      DataField(name: "tier", type: .string, nullable: false),
      DataField(name: "changed_at", type: timestamp, nullable: false),
    ])
  static let payments = RecordSchema(
    name: "payments",
    fields: [
      DataField(name: "order_id", type: .string, nullable: false),
      DataField(name: "method", type: .string, nullable: false),
      DataField(name: "paid_at", type: timestamp, nullable: false),
    ])
  /// One order every 10 ms: a 10-minute window holds 60,000 of them.
  static let spacing: Int64 = 10
  static let window: Int64 = 600_000
  static let tiers = ["bronze", "silver", "gold", "platinum"]
  static let methods = ["card", "invoice", "wallet"]

  static func strings(_ values: [String]) -> Column {
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(values.count + 1)
    var bytes: [UInt8] = []
    for value in values {
      bytes += value.utf8
      offsets.append(Int32(bytes.count))
    }
    return Column(type: .string, values: .binary(offsets: offsets, bytes: bytes))
  }

  static func times(_ values: [Int64]) -> Column { Column(type: timestamp, values: .int64(values)) }

  static func random(_ index: Int) -> UInt64 {
    var value = UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
    value ^= value >> 31
    return value &* 0xBF58_476D_1CE4_E5B9
  }

  static func placedAt(_ index: Int) -> Int64 { 1_000 + Int64(index) * spacing }

  static func orders(_ range: Range<Int>, keys: Int) -> RecordBatch {
    RecordBatch(
      schema: orders,
      columns: [
        strings(range.map { "o-\($0)" }), strings(range.map { "c-\(random($0) % UInt64(keys))" }),
        Column(type: .float64, values: .float64(range.map { Double(random($0) % 100_000) / 100 })),
        times(range.map(placedAt)),
      ], rowCount: range.count)
  }

  /// Customers `range` as loaded at time 0.
  static func initialCustomers(_ range: Range<Int>) -> RecordBatch {
    RecordBatch(
      schema: customers,
      columns: [
        strings(range.map { "c-\($0)" }), strings(range.map { tiers[$0 % tiers.count] }),
        times(range.map { _ in 0 }),
      ], rowCount: range.count)
  }

  /// The updates that come with the orders of `chunk`: 64 customers whose tier changes at
  /// times through the chunk's, the last just after it (so the table's watermark passes
  /// the chunk's orders).
  static func updates(for chunk: Range<Int>, keys: Int) -> RecordBatch {
    let count = 64
    let start = placedAt(chunk.lowerBound)
    let span = placedAt(chunk.upperBound) + 1 - start
    return RecordBatch(
      schema: customers,
      columns: [
        strings((0..<count).map { "c-\(random(chunk.lowerBound * 131 + $0 + 7) % UInt64(keys))" }),
        strings((0..<count).map { tiers[(chunk.lowerBound + $0) % tiers.count] }),
        times((0..<count).map { start + span * Int64($0 + 1) / Int64(count) }),
      ], rowCount: count)
  }

  /// Each order's payment, 0 to 10 minutes after it: out of event-time order by as much.
  static func payments(_ range: Range<Int>) -> RecordBatch {
    RecordBatch(
      schema: payments,
      columns: [
        strings(range.map { "o-\($0)" }), strings(range.map { methods[Int(random($0) % 3)] }),
        times(range.map { placedAt($0) + Int64(random($0 + 1) % UInt64(window)) }),
      ], rowCount: range.count)
  }

  static func chunks(_ records: Int) -> [Range<Int>] {
    stride(from: 0, to: records, by: RecordBatch.preferredRowCount).map {
      $0..<min(records, $0 + RecordBatch.preferredRowCount)
    }
  }

  static let peerScript = """
    from sys import argv
    from time import perf_counter
    from duckdb import connect
    connection = connect()
    connection.execute("set threads = 1")
    connection.execute("set enable_progress_bar = false")
    orders, customers, payments = argv[1:4]
    start = perf_counter()
    connection.execute(f'''create table asof_out as select o.*, c.tier, c.changed_at
      from read_parquet('{orders}') o asof join read_parquet('{customers}') c
      on o.customer = c.customer and o.placed_at >= c.changed_at''')
    asof = perf_counter() - start
    start = perf_counter()
    connection.execute(f'''create table window_out as select o.*, p.method, p.paid_at
      from read_parquet('{orders}') o join read_parquet('{payments}') p
      on o.order_id = p.order_id and p.paid_at between o.placed_at - interval 10 minute and o.placed_at + interval 10 minute''')
    interval = perf_counter() - start
    count = lambda table: connection.execute(f"select count(*) from {table}").fetchone()[0]
    print(asof, count("asof_out"), interval, count("window_out"))
    """
}

extension Benchmarks {
  public static func benchJoin(records: Int, keys: Int) throws -> BenchJoinResult {
    let plan = JoinPlan(
      kind: .streamTable,
      keys: [(FieldReference(path: [1], names: ["customer"]), FieldReference(path: [0], names: ["customer"]))],
      withinMilliseconds: nil, columns: [(.left, 0), (.left, 1), (.left, 2), (.left, 3), (.right, 1), (.right, 2)])
    let joined = RecordSchema(name: "joined", fields: BenchJoin.orders.fields + BenchJoin.customers.fields.dropFirst())
    let temporal = try TemporalJoinOperator(
      name: "bench", schema: joined, plan: plan, left: BenchJoin.orders, right: BenchJoin.customers, leftTime: 3,
      rightTime: 2, tableKey: [0])
    var clock = Stopwatch()
    var output = 0
    var peakState = 0
    func count(_ result: OperatorOutput) { output += result.batches.reduce(0) { $0 + $1.count } }
    for chunk in BenchJoin.chunks(keys) {
      let batch = BenchJoin.initialCustomers(chunk)
      try clock.time { () throws(RunFailure) in
        count(try temporal.process(batch, side: .right, deleting: false))
        count(try temporal.endOfBatch())
      }
    }
    for chunk in BenchJoin.chunks(records) {
      let updates = BenchJoin.updates(for: chunk, keys: keys)
      let orders = BenchJoin.orders(chunk, keys: keys)
      try clock.time { () throws(RunFailure) in
        count(try temporal.process(updates, side: .right, deleting: false))
        count(try temporal.endOfBatch())
        count(try temporal.process(orders, side: .left, deleting: false))
        count(try temporal.endOfBatch())
      }
      peakState = max(peakState, temporal.tableRows + temporal.waitingRecords)
    }
    var lines = [
      BenchJoinResult.Line(
        name: "stream-table (temporal) join, \(records) orders × a table of \(keys) customers",
        inputRecords: records + keys + BenchJoin.chunks(records).count * 64, outputRecords: output,
        seconds: clock.seconds, peakState: peakState, peakResidentBytes: peakResident())
    ]

    var windowPlan = plan
    windowPlan.kind = .streamStream
    windowPlan.keys = [(FieldReference(path: [0], names: ["order_id"]), FieldReference(path: [0], names: ["order_id"]))]
    windowPlan.withinMilliseconds = BenchJoin.window
    // Payments come up to 10 minutes after their order, so out of order by as much.
    windowPlan.allowedLatenessMilliseconds = BenchJoin.window
    let paired = RecordSchema(name: "paired", fields: BenchJoin.orders.fields + BenchJoin.payments.fields.dropFirst())
    let interval = try StreamJoinOperator(
      name: "bench", schema: paired, plan: windowPlan, left: BenchJoin.orders, right: BenchJoin.payments,
      leftTime: 3, rightTime: 2)
    clock = Stopwatch()
    output = 0
    peakState = 0
    for chunk in BenchJoin.chunks(records) {
      let orders = BenchJoin.orders(chunk, keys: keys)
      let payments = BenchJoin.payments(chunk)
      try clock.time { () throws(RunFailure) in
        count(try interval.process(orders, side: .left, deleting: false))
        count(try interval.endOfBatch())
        count(try interval.process(payments, side: .right, deleting: false))
        count(try interval.endOfBatch())
      }
      peakState = max(peakState, interval.bufferedRecords)
    }
    lines.append(
      BenchJoinResult.Line(
        name: "stream-stream join within 10 minutes, \(records) orders × \(records) payments",
        inputRecords: 2 * records, outputRecords: output, seconds: clock.seconds, peakState: peakState,
        peakResidentBytes: peakResident()))

    var result = BenchJoinResult(lines: lines, peer: "duckdb not found (set MESHC_PEER_PYTHON)")
    if let python = BenchAvro.peerPython(module: "duckdb") {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-bench-join-\(getpid())")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      let files = ["orders", "customers", "payments"].map { directory.appendingPathComponent("\($0).parquet") }
      try writeParquet(BenchJoin.orders, to: files[0]) { write in
        for chunk in BenchJoin.chunks(records) { try write(BenchJoin.orders(chunk, keys: keys)) }
      }
      try writeParquet(BenchJoin.customers, to: files[1]) { write in
        for chunk in BenchJoin.chunks(keys) { try write(BenchJoin.initialCustomers(chunk)) }
        for chunk in BenchJoin.chunks(records) { try write(BenchJoin.updates(for: chunk, keys: keys)) }
      }
      try writeParquet(BenchJoin.payments, to: files[2]) { write in
        for chunk in BenchJoin.chunks(records) { try write(BenchJoin.payments(chunk)) }
      }
      let said = try BenchAvro.run(python, ["-c", BenchJoin.peerScript] + files.map(\.path)).split(separator: " ")
      if said.count == 4 {
        result.lines[0].peerSeconds = Double(said[0])
        result.lines[0].peerRecords = Int(said[1])
        result.lines[1].peerSeconds = Double(said[2])
        result.lines[1].peerRecords = Int(said[3].trimmingCharacters(in: .whitespacesAndNewlines))
      }
      result.peer = "duckdb from \(python), one thread, the same records from Parquet files"
    }
    return result
  }

  private static func writeParquet(
    _ schema: RecordSchema, to file: URL, _ body: ((RecordBatch) throws -> Void) throws -> Void
  ) throws {
    guard let avro = schema.avroSchema else { throw CocoaError(.fileWriteUnknown) }
    let writer = try ParquetWriter(schema: avro)
    FileManager.default.createFile(atPath: file.path, contents: nil)
    let handle = try FileHandle(forWritingTo: file)
    defer { try? handle.close() }
    try body { batch in
      try writer.write(batch)
      try handle.write(contentsOf: writer.takeOutput())
    }
    try writer.finish()
    try handle.write(contentsOf: writer.takeOutput())
  }

  private static func peakResident() -> Int64 {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int64(usage.ru_maxrss) * 1024
  }
}

/// Time spent inside `time` blocks only.
struct Stopwatch {
  private(set) var nanoseconds: UInt64 = 0
  var seconds: Double { Double(nanoseconds) / 1e9 }

  mutating func time<E: Error>(_ body: () throws(E) -> Void) throws(E) {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    nanoseconds += DispatchTime.now().uptimeNanoseconds - start
  }
}
