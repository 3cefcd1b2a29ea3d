import Dispatch
import Foundation
import MeshDriver

#if canImport(Glibc)
  import Glibc
#endif

/// `meshc bench pipeline`: N generated orders as one CSV file through a product that
/// filters, derives a field and sums per hour and country into a Parquet batch port,
/// run by `meshc run --once`; then the same job in DuckDB with one thread over the same
/// file, in the same run, when a python with duckdb is found.
public struct BenchPipelineResult: Sendable {
  public var records: Int
  public var inputBytes: Int
  public var seconds: Double
  public var peakResidentBytes: Int64
  public var peerSeconds: Double?
  public var peer: String
  public var summary: String

  public var text: String {
    func rate(_ seconds: Double) -> String {
      String(format: "%.2f M records/s, %.1f MB/s", Double(records) / seconds / 1e6, Double(inputBytes) / seconds / 1e6)
    }
    var out =
      "meshc bench pipeline: \(records) orders, \(String(format: "%.1f", Double(inputBytes) / 1e6)) MB of CSV; \(peer)\n"
    out +=
      "  meshc run   \(String(format: "%.2f", seconds)) s  \(rate(seconds))  peak resident \(peakResidentBytes / 1_048_576) MB\n"
    if let peerSeconds {
      out += "  duckdb (1 thread) \(String(format: "%.2f", peerSeconds)) s  \(rate(peerSeconds))\n"
      out += String(format: "  meshc / duckdb: %.2f (target ≥ 0.5)\n", peerSeconds / seconds)
    }
    out += "  \(summary)"
    return out
  }
}

enum BenchPipeline {
  static let mesh = """
    apiVersion: meshc/v1
    kind: Mesh
    name: bench
    """

  static let schema = """
    {"type": "record", "name": "Order", "fields": [
      {"name": "order_id", "type": "string"}, {"name": "customer_id", "type": "string"},
      {"name": "amount", "type": "double"}, {"name": "fx_rate", "type": "double"},
      {"name": "status", "type": "string"}, {"name": "country", "type": "string"},
      {"name": "placed_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
    ]}
    """

  static let product = """
    apiVersion: meshc/v1
    kind: DataProduct
    metadata: {name: hourly, domain: bench, owner: {team: bench, email: bench@example.com}, lifecycle: draft}
    spec:
      inputs:
        - {name: raw, format: csv, path: data/orders/*.csv, schema: products/order.avsc, eventTime: placed_at}
      transforms:
        - {name: valid, from: raw, filter: "status <> 'test' AND amount >= 0"}
        - name: priced
          from: valid
          select: {country: country, amount_eur: amount * fx_rate, placed_at: placed_at}
        - name: per_hour
          from: priced
          aggregate:
            groupBy: [country]
            window: {tumbling: 1h, allowedLateness: 0s}
            measures: {revenue_eur: sum(amount_eur), orders: count(*)}
      outputs:
        - {name: files, kind: batch, from: per_hour, format: parquet, path: out/hourly/}
    """

  /// Orders in time order over about a month, one in fifty a test order, written to
  /// `file` a million at a time (the input is not held in memory). Returns its size.
  static func csv(records: Int, to file: URL) throws -> Int {
    FileManager.default.createFile(atPath: file.path, contents: nil)
    let handle = try FileHandle(forWritingTo: file)
    defer { try? handle.close() }
    var size = 0
    var out: [UInt8] = []
    out.reserveCapacity(1 << 22)
    out += "order_id,customer_id,amount,fx_rate,status,country,placed_at\n".utf8
    let countries = ["NO", "SE", "DK", "FI", "DE", "NL", "FR", "ES"]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for index in 0..<records {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let random = state >> 33
      let millis = 1_795_478_400_000 + Int64(index) * 2_592_000_000 / Int64(max(1, records))
      out +=
        "o-\(index),c-\(random % 5000),\(random % 50_000 / 100).\(random % 100),\(random % 3 == 0 ? "0.92" : "1"),".utf8
      out += "\(random % 50 == 0 ? "test" : "paid"),\(countries[Int(random % 8)]),\(millis)\n".utf8
      if out.count >= 1 << 22 {
        try handle.write(contentsOf: out)
        size += out.count
        out.removeAll(keepingCapacity: true)
      }
    }
    try handle.write(contentsOf: out)
    return size + out.count
  }

  static let peerScript = """
    from sys import argv
    from time import perf_counter
    from duckdb import connect
    connection = connect()
    connection.execute("set threads = 1")
    connection.execute("set enable_progress_bar = false")
    start = perf_counter()
    connection.execute(f'''copy (
      select country, time_bucket(interval 1 hour, to_timestamp(placed_at / 1000)) as window_start,
             sum(amount * fx_rate) as revenue_eur, count(*) as orders
      from read_csv('{argv[1]}', header = true, columns = {{'order_id': 'VARCHAR', 'customer_id': 'VARCHAR',
        'amount': 'DOUBLE', 'fx_rate': 'DOUBLE', 'status': 'VARCHAR', 'country': 'VARCHAR', 'placed_at': 'BIGINT'}})
      where status <> 'test' and amount >= 0
      group by all) to '{argv[2]}' (format parquet)''')
    print(perf_counter() - start)
    """
}

extension Benchmarks {
  public static func benchPipeline(records: Int) throws -> BenchPipelineResult {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-bench-pipeline-\(getpid())")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("products"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("data/orders"), withIntermediateDirectories: true)
    try Data(BenchPipeline.mesh.utf8).write(to: root.appendingPathComponent("mesh.yaml"))
    try Data(BenchPipeline.schema.utf8).write(to: root.appendingPathComponent("products/order.avsc"))
    try Data(BenchPipeline.product.utf8).write(to: root.appendingPathComponent("products/hourly.yaml"))
    let file = root.appendingPathComponent("data/orders/orders.csv")
    let inputBytes = try BenchPipeline.csv(records: records, to: file)
    let context = LogCommandContext(dataDirectory: root.appendingPathComponent(".meshc").path)
    let start = DispatchTime.now().uptimeNanoseconds
    let report = MeshDriver.run(targets: [], context: context, once: true, currentDirectory: root)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard !report.diagnostics.hasErrors else {
      throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(report.diagnostics.all)"])
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    var result = BenchPipelineResult(
      records: records, inputBytes: inputBytes, seconds: seconds, peakResidentBytes: Int64(usage.ru_maxrss) * 1024,
      peerSeconds: nil, peer: "duckdb not found (set MESHC_PEER_PYTHON)", summary: report.summary)
    if let python = BenchAvro.peerPython(module: "duckdb") {
      let said = try BenchAvro.run(
        python, ["-c", BenchPipeline.peerScript, file.path, root.appendingPathComponent("duckdb.parquet").path])
      result.peerSeconds = Double(said.trimmingCharacters(in: .whitespacesAndNewlines))
      result.peer = "duckdb from \(python), one thread, same file"
    }
    return result
  }
}
