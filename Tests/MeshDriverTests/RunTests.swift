import Foundation
import MeshTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `meshc run --once` on a copy of the example mesh, as the binary: outputs, dead letters,
/// each file once, and kills at random moments that leave exactly what an uninterrupted
/// run writes.
@Suite struct RunTests {
  /// The example mesh without its data: manifests and schemas.
  static func mesh() throws -> URL {
    let root = try Fixtures.makeTemporaryDirectory("run")
    for item in ["mesh.yaml", "products", "schemas"] {
      try FileManager.default.copyItem(
        at: Fixtures.packageRoot.appendingPathComponent(item), to: root.appendingPathComponent(item))
    }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("data/stock"), withIntermediateDirectories: true)
    return root
  }

  /// The schema of the daily counts per warehouse that the window tests publish.
  static let dailyCountsSchema = """
    {"type": "record", "name": "DailyCounts", "namespace": "shop.inventory", "fields": [
      {"name": "warehouse", "type": "string"},
      {"name": "window_start", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "window_end", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "counted", "type": "long"}]}
    """

  /// A day's stock counts: every 17th line does not parse, every 5th is oversold.
  static func counts(day: Int, lines: Int) -> String {
    (0..<lines).map { line in
      let onHand = line % 17 == 16 ? "\"many\"" : "\(line % 50)"
      let reserved = line % 5 == 4 ? 60 : line % 7
      return
        #"{"sku": "sku-\#(line)", "warehouse": "w\#(day % 3)", "category": "c\#(line % 4)", "on_hand": \#(onHand), "#
        + #""reserved": \#(reserved), "counted_at": "2026-11-\#(10 + day)T08:00:00Z"}"#
    }.joined(separator: "\n") + "\n"
  }

  /// The values a topic holds for readers (committed records), sorted.
  static func values(_ topic: String, in root: URL, data: String = ".meshc") throws -> [String] {
    let consumed = try Meshc.run(["consume", topic, "--from-beginning", "--data-dir", data], in: root)
    return consumed.stdout.split(separator: "\n").compactMap { line -> String? in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let value = object["value"]
      else { return nil }
      let text = try? JSONSerialization.data(
        withJSONObject: ["key": object["key"] ?? NSNull(), "value": value], options: [.sortedKeys])
      return text.map { String(decoding: $0, as: UTF8.self) }
    }.sorted()
  }

  @Test func runsAProductOverEachFileOnce() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    try Data(Self.counts(day: 1, lines: 20).utf8).write(to: root.appendingPathComponent("data/stock/day1.jsonl"))
    let first = try Meshc.run(["run", "inventory.stock", "--once"], in: root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout.hasPrefix(
        "inventory.stock: 1 file, 20 records in, 15 out, 5 dead-lettered, 4 failed not_oversold (checkpoint 1)\nran in "
      ))
    let levels = try Self.values("inventory.stock.levels", in: root)
    #expect(levels.count == 15)
    #expect(
      levels.contains(
        #"{"key":"sku-0|w1","value":{"available":0,"category":"c0","counted_at":1794384000000,"sku":"sku-0","warehouse":"w1"}}"#
      ))
    let letters = try Self.values("inventory.stock.dead-letter", in: root)
    #expect(letters.count == 5)
    #expect(letters.contains { $0.contains("day1.jsonl:17:67") && $0.contains("expected an int") })
    let again = try Meshc.run(["run", "inventory.stock", "--once"], in: root)
    #expect(again.stdout.hasPrefix("inventory.stock: 0 files, 0 records in"))
    try Data(Self.counts(day: 2, lines: 3).utf8).write(to: root.appendingPathComponent("data/stock/day2.jsonl"))
    try Data(Self.counts(day: 1, lines: 2).utf8).write(to: root.appendingPathComponent("data/stock/day1.jsonl"))
    let more = try Meshc.run(["run", "inventory.stock", "--once"], in: root)
    #expect(more.stdout.hasPrefix("inventory.stock: 2 files, 5 records in"), "\(more.stdout)")
    #expect(try Self.values("inventory.stock.levels", in: root).count == 15 + 5)
  }

  @Test func aKilledRunResumesAndWritesExactlyOnce() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    for day in 1...30 {
      try Data(Self.counts(day: day, lines: 300).utf8).write(
        to: root.appendingPathComponent("data/stock/day\(day < 10 ? "0" : "")\(day).jsonl"))
    }
    let whole = try Meshc.run(["run", "inventory.stock", "--once", "--data-dir", "whole"], in: root)
    #expect(whole.status == 0, "\(whole.stderr)")
    var random = SeededRandom(seed: nil)
    print("RunTests.aKilledRunResumesAndWritesExactlyOnce: seed \(random.seed)")
    var kills = 0
    var finished = false
    for _ in 0..<60 where !finished {
      let process = Process()
      process.executableURL = Fixtures.meshcBinary
      process.arguments = ["run", "inventory.stock", "--once", "--data-dir", "killed"]
      process.currentDirectoryURL = root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(5_000 + random.next() % 150_000))
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      finished = process.terminationReason == .exit && process.terminationStatus == 0
    }
    if !finished {
      let last = try Meshc.run(["run", "inventory.stock", "--once", "--data-dir", "killed"], in: root)
      #expect(last.status == 0, "\(last.stderr)")
    }
    let everything = try Meshc.run(
      ["consume", "inventory.stock.levels", "--from-beginning", "--read-uncommitted", "--data-dir", "killed"], in: root)
    let written = everything.stdout.split(separator: "\n").count
    print(
      "RunTests.aKilledRunResumesAndWritesExactlyOnce: \(kills) kills, \(written) records written, uncommitted ones set aside"
    )
    for topic in ["inventory.stock.levels", "inventory.stock.dead-letter"] {
      let expected = try Self.values(topic, in: root, data: "whole")
      let got = try Self.values(topic, in: root, data: "killed")
      #expect(got.count == expected.count, "\(topic), seed \(random.seed)")
      #expect(got == expected, "\(topic), seed \(random.seed)")
    }
  }

  @Test func aSecondRunOfTheSameProductIsRefused() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let state = root.appendingPathComponent(".meshc/products/inventory.stock")
    try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
    let descriptor = open(state.appendingPathComponent("run.lock").path, O_RDWR | O_CREAT, 0o644)
    defer { close(descriptor) }
    #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
    let refused = try Meshc.run(["run", "inventory.stock", "--once"], in: root)
    #expect(refused.status == 1)
    #expect(
      refused.stderr.contains(
        "error[E1003]: inventory.stock: another run of inventory.stock is using this data directory"))
    let customers = root.appendingPathComponent("data/customers")
    try FileManager.default.createDirectory(at: customers, withIntermediateDirectories: true)
    try Data("not avro".utf8).write(to: customers.appendingPathComponent("bad.avro"))
    let damaged = try Meshc.run(["run", "customers.profiles", "--once"], in: root)
    #expect(damaged.status == 1)
    #expect(
      damaged.stderr.contains("error[E1001]: customers.profiles: input raw_changes: data/customers/bad.avro:"),
      "\(damaged.stderr)")
  }

  /// sales.orders: CSV through a filter, a dedupe within an hour and a select, to a topic
  /// of four partitions and to Parquet files by day; a rule that warns.
  @Test func salesOrdersRunsToItsTopicAndItsParquetFiles() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let orders = root.appendingPathComponent("data/orders")
    try FileManager.default.createDirectory(at: orders, withIntermediateDirectories: true)
    let rows = [
      "order_id,customer_id,sku,quantity,amount,currency,fx_rate,status,country,placed_at",
      "o-1,c-1,shoe-1,1,100,USD,0.9,placed,NO,2026-11-24T08:00:00Z",
      "o-1,c-1,shoe-1,1,100,USD,0.9,placed,NO,2026-11-24T08:10:00Z",
      "o-1,c-1,shoe-1,1,100,USD,0.9,paid,NO,2026-11-24T08:20:00Z",
      "o-2,c-2,hat-1,2,-5,EUR,1,placed,SE,2026-11-25T09:00:00Z",
      "o-3,c-3,hat-1,2,30,EUR,1,test,SE,2026-11-25T09:00:00Z",
      "o-4,c-3,hat-1,x,30,EUR,1,placed,SE,2026-11-25T09:00:00Z",
      "o-5,c-3,hat-1,1,30,EUR,1,placed,SWE,2026-11-25T10:00:00Z",
      "o-1,c-1,shoe-1,1,100,USD,0.9,placed,NO,2026-11-24T09:30:00Z",
    ]
    try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: orders.appendingPathComponent("day1.csv"))
    let run = try Meshc.run(["run", "sales.orders", "--once"], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      run.stdout.hasPrefix(
        "sales.orders: 1 file, 8 records in, 4 out, 1 dead-lettered, 1 dropped (duplicates and quality rules), "
          + "1 failed known_country (checkpoint 1)\nran in "))
    #expect(run.stderr.contains("warning[W1001]: sales.orders: quality rule known_country: 1 record(s) failed"))
    #expect(try Self.values("sales.orders.stream", in: root).count == 4)
    let files = try FileManager.default.subpathsOfDirectory(
      atPath: root.appendingPathComponent("out/sales/orders").path
    )
    .filter { $0.hasSuffix(".parquet") }.sorted()
    #expect(
      files == [
        "day=2026-11-24/part-00000000000000000001-00000.parquet",
        "day=2026-11-25/part-00000000000000000001-00001.parquet",
      ])
    let cat = try Meshc.run(
      ["cat", "out/sales/orders/day=2026-11-24/part-00000000000000000001-00000.parquet"], in: root)
    #expect(cat.stdout.split(separator: "\n").count == 3)
    #expect(
      cat.stdout.hasPrefix(#"{"order_id":"o-1","customer_id":"c-1","sku":"shoe-1","quantity":1,"amount_eur":90,"#))
    // The dedupe's state is in the checkpoint: a later file's duplicate within the hour is dropped.
    try Data((rows[0] + "\n" + "o-5,c-3,hat-1,1,30,EUR,1,placed,SE,2026-11-25T10:30:00Z\n").utf8).write(
      to: orders.appendingPathComponent("day2.csv"))
    let second = try Meshc.run(["run", "sales.orders", "--once"], in: root)
    #expect(
      second.stdout.hasPrefix("sales.orders: 1 file, 1 records in, 0 out, 0 dead-lettered, 1 dropped"),
      "\(second.stdout)")
  }

  /// A product that reads another's stream port sees what that product committed, from
  /// its own checkpointed position: not records another writer put in the topic.
  @Test func aProductReadsAnUpstreamPortAsItCommittedIt() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let manifest = """
      apiVersion: meshc/v1
      kind: DataProduct
      metadata:
        name: low_stock
        domain: inventory
        owner: {team: warehouse-systems, email: inventory-data@example.com}
        description: Variants about to run out.
        alignment: aggregate
        lifecycle: draft
        tags: [inventory]
      spec:
        inputs:
          - {name: levels, product: inventory.stock, port: levels}
        transforms:
          - {name: low, from: levels, filter: "available < 5"}
        outputs:
          - {name: alerts, kind: stream, from: low, key: [sku, warehouse], schema: schemas/inventory/stock.avsc, compatibility: FULL}
      """
    try Data(manifest.utf8).write(to: root.appendingPathComponent("products/inventory/low_stock.yaml"))
    let early = try Meshc.run(["run", "inventory.low_stock", "--once"], in: root)
    #expect(
      early.stderr.contains("error[E1001]: inventory.low_stock: input levels: inventory.stock has not run"),
      "\(early.stderr)")
    try Data(Self.counts(day: 1, lines: 20).utf8).write(to: root.appendingPathComponent("data/stock/day1.jsonl"))
    let both = try Meshc.run(["run", "inventory.low_stock", "inventory.stock", "--once"], in: root)
    #expect(both.status == 0, "\(both.stderr)")
    #expect(
      both.stdout.split(separator: "\n").dropLast().map { $0.prefix { $0 != ":" } } == [
        "inventory.stock", "inventory.low_stock",
      ])
    let alerts = try Self.values("inventory.low_stock.alerts", in: root)
    #expect(alerts.count == 6, "\(alerts)")
    // A record appended to the upstream topic by hand is not the upstream's to publish.
    let produced = try Meshc.run(["produce", "inventory.stock.levels"], in: root, input: Data("{\"x\": 1}\n".utf8))
    #expect(produced.status == 0, "\(produced.stderr)")
    let again = try Meshc.run(["run", "inventory.low_stock", "--once"], in: root)
    #expect(again.stdout.hasPrefix("inventory.low_stock: 0 files, 0 records in"), "\(again.stdout)")
  }

  /// sales.daily_revenue reads sales.orders' stream (four partitions) and sums paid orders
  /// per country and day; a day's window is emitted once the watermark (the latest order
  /// minus an hour) passes its end, to the topic and to Parquet files by month.
  @Test func dailyRevenueSumsPaidOrdersPerCountryAndDay() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let orders = root.appendingPathComponent("data/orders")
    try FileManager.default.createDirectory(at: orders, withIntermediateDirectories: true)
    let rows = [
      "order_id,customer_id,sku,quantity,amount,currency,fx_rate,status,country,placed_at",
      "o-1,c-1,shoe-1,1,100,USD,0.9,paid,NO,2026-11-24T08:00:00Z",
      "o-2,c-1,shoe-1,1,100,EUR,1,placed,NO,2026-11-24T09:00:00Z",
      "o-3,c-2,shoe-1,1,50,EUR,1,paid,NO,2026-11-26T09:00:00Z",
      "o-4,c-3,shoe-1,1,100,EUR,1,paid,NO,2026-11-26T08:00:00Z",
      "o-5,c-2,shoe-1,1,20,EUR,1,paid,SE,2026-11-26T10:00:00Z",
      "o-6,c-2,shoe-1,1,7,EUR,1,paid,SE,2026-11-28T10:00:00Z",
    ]
    try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: orders.appendingPathComponent("day1.csv"))
    let run = try Meshc.run(["run", "sales.daily_revenue", "sales.orders", "--once"], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("sales.daily_revenue: 0 files, 6 records in, 3 out"), "\(run.stdout)")
    let files = try FileManager.default.subpathsOfDirectory(
      atPath: root.appendingPathComponent("out/sales/daily_revenue").path
    ).filter { $0.hasSuffix(".parquet") }
    #expect(files == ["month=2026-11/part-00000000000000000001-00000.parquet"])
    let cat = try Meshc.run(["cat", "out/sales/daily_revenue/" + (files.first ?? "")], in: root)
    #expect(
      cat.stdout == """
        {"country":"NO","window_start":"2026-11-24T00:00:00.000Z","window_end":"2026-11-25T00:00:00.000Z","revenue_eur":90,"orders":1}
        {"country":"NO","window_start":"2026-11-26T00:00:00.000Z","window_end":"2026-11-27T00:00:00.000Z","revenue_eur":150,"orders":2}
        {"country":"SE","window_start":"2026-11-26T00:00:00.000Z","window_end":"2026-11-27T00:00:00.000Z","revenue_eur":20,"orders":1}

        """)
    #expect(try Self.values("sales.daily_revenue.stream", in: root).count == 3)
    // The open window (the 28th) is in the checkpoint: a later order closes it.
    try Data((rows[0] + "\no-7,c-2,shoe-1,1,1,EUR,1,paid,SE,2026-11-30T10:00:00Z\n").utf8).write(
      to: orders.appendingPathComponent("day2.csv"))
    let later = try Meshc.run(["run", "sales.orders", "sales.daily_revenue", "--once"], in: root)
    #expect(later.stdout.contains("sales.daily_revenue: 0 files, 1 records in, 1 out"), "\(later.stdout)")
    #expect(try Self.values("sales.daily_revenue.stream", in: root).contains { $0.contains(#""revenue_eur":7"#) })
  }

  /// Without --once, a run follows: files that appear are read within a second or so;
  /// SIGTERM stops it cleanly with its summary, everything it read committed.
  @Test func aFollowingRunPicksUpNewFilesAndStopsCleanly() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    try Data(Self.counts(day: 1, lines: 10).utf8).write(to: root.appendingPathComponent("data/stock/day1.jsonl"))
    let process = Process()
    process.executableURL = Fixtures.meshcBinary
    process.arguments = ["run", "inventory.stock"]
    process.currentDirectoryURL = root
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(800_000)
    try Data(Self.counts(day: 2, lines: 10).utf8).write(to: root.appendingPathComponent("data/stock/day2.jsonl"))
    var waited = 0
    while waited < 50, (try? Self.values("inventory.stock.levels", in: root).count) ?? 0 < 16 {
      usleep(200_000)
      waited += 1
    }
    kill(process.processIdentifier, SIGTERM)
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(printed.hasPrefix("inventory.stock: 2 files, 20 records in"), "\(printed)")
    #expect(try Self.values("inventory.stock.levels", in: root).count == 16)
  }

  /// Kills of sales.orders, whose batch port writes Parquet files by day: the files in
  /// place afterwards hold exactly the records of an uninterrupted run.
  @Test func killedRunsLeaveTheSameParquetFiles() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let sample = try Meshc.run(["sample", "--orders", "3000"], in: root)
    #expect(sample.status == 0, "\(sample.stderr)")
    func records(_ directory: String) throws -> [String] {
      let base = root.appendingPathComponent(directory)
      let files = (try? FileManager.default.subpathsOfDirectory(atPath: base.path)) ?? []
      var lines: [String] = []
      for file in files where file.hasSuffix(".parquet") && !file.contains(".meshc-staging") {
        let cat = try Meshc.run(["cat", directory + "/" + file], in: root)
        lines += cat.stdout.split(separator: "\n").map { "\(file.prefix { $0 != "/" }) \($0)" }
      }
      return lines.sorted()
    }
    let whole = try Meshc.run(["run", "sales.orders", "--once", "--data-dir", "whole"], in: root)
    #expect(whole.status == 0, "\(whole.stderr)")
    let expected = try records("out/sales/orders")
    try FileManager.default.removeItem(at: root.appendingPathComponent("out"))
    var random = SeededRandom(seed: nil)
    var finished = false
    var kills = 0
    for _ in 0..<30 where !finished {
      let process = Process()
      process.executableURL = Fixtures.meshcBinary
      process.arguments = ["run", "sales.orders", "--once", "--data-dir", "killed"]
      process.currentDirectoryURL = root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(5_000 + random.next() % 300_000))
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      finished = process.terminationReason == .exit && process.terminationStatus == 0
    }
    if !finished { _ = try Meshc.run(["run", "sales.orders", "--once", "--data-dir", "killed"], in: root) }
    print("RunTests.killedRunsLeaveTheSameParquetFiles: \(kills) kills, seed \(random.seed)")
    #expect(!expected.isEmpty)
    #expect(try records("out/sales/orders") == expected, "seed \(random.seed)")
  }

  /// Kills of the whole example mesh, joins included, at random moments; restarted until
  /// it finishes, it leaves in every product's topics and in the promotions' CSV files
  /// exactly what an uninterrupted run leaves.
  @Test func killedRunsOfTheWholeMeshLeaveTheSameOutputs() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    // The whole mesh: a table-table join, whose changelog has retractions, a table
    // aggregate and session windows included.
    let sample = try Meshc.run(["sample", "--orders", "3000"], in: root)
    #expect(sample.status == 0, "\(sample.stderr)")
    let topics = [
      "customers.profiles.changes", "inventory.stock.levels", "sales.orders.stream", "sales.daily_revenue.stream",
      "marketing.shoe_promotions.promotions", "marketing.order_owners.current", "sales.customer_activity.current",
      "inventory.stock.dead-letter",
      "sales.orders.dead-letter",
    ]
    func outputs(_ data: String) throws -> [String] {
      var lines: [String] = []
      for topic in topics { lines += try Self.values(topic, in: root, data: data).map { "\(topic) \($0)" } }
      let base = root.appendingPathComponent("out/marketing/shoe_promotions")
      for file in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] where file.hasSuffix(".csv") {
        let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
        // RFC 4180 lines end in CRLF, one Character in Swift.
        lines += text.split(whereSeparator: \.isNewline).dropFirst().map { "promotions.csv \($0)" }
      }
      let visits = root.appendingPathComponent("out/sales/visits")
      for file in (try? FileManager.default.contentsOfDirectory(atPath: visits.path)) ?? []
      where file.hasSuffix(".jsonl") {
        let text = try String(contentsOf: visits.appendingPathComponent(file), encoding: .utf8)
        lines += text.split(whereSeparator: \.isNewline).map { "visits.jsonl \($0)" }
      }
      return lines.sorted()
    }
    let whole = try Meshc.run(["run", "products", "--once", "--data-dir", "whole"], in: root)
    #expect(whole.status == 0, "\(whole.stderr)")
    let expected = try outputs("whole")
    try FileManager.default.removeItem(at: root.appendingPathComponent("out"))
    var random = SeededRandom(seed: nil)
    var finished = false
    var kills = 0
    for _ in 0..<40 where !finished {
      let process = Process()
      process.executableURL = Fixtures.meshcBinary
      // So small a budget that the table aggregate's state moves to RocksDB at once.
      process.arguments = ["run", "products", "--once", "--data-dir", "killed", "--state-memory", "1KiB"]
      process.currentDirectoryURL = root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(5_000 + random.next() % 400_000))
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      finished = process.terminationReason == .exit && process.terminationStatus == 0
    }
    if !finished {
      _ = try Meshc.run(["run", "products", "--once", "--data-dir", "killed", "--state-memory", "1KiB"], in: root)
    }
    let state = root.appendingPathComponent("killed/products/sales.customer_activity/state")
    let stateFiles = FileManager.default.enumerator(atPath: state.path)?.allObjects as? [String] ?? []
    #expect(stateFiles.contains { $0.hasSuffix("/store/rocksdb") }, "the table aggregate's state is in RocksDB")
    print("RunTests.killedRunsOfTheWholeMeshLeaveTheSameOutputs: \(kills) kills, seed \(random.seed)")
    #expect(expected.contains { $0.hasPrefix("marketing.shoe_promotions.promotions ") })
    #expect(expected.contains { $0.hasPrefix("promotions.csv ") })
    #expect(expected.contains { $0.hasPrefix("visits.jsonl ") })
    #expect(expected.contains { $0.hasPrefix("sales.customer_activity.current ") })
    #expect(expected.contains { $0.hasPrefix("marketing.order_owners.current ") && $0.contains(#""value":null"#) })
    let got = try outputs("killed")
    #expect(got.count == expected.count, "seed \(random.seed)")
    #expect(got == expected, "seed \(random.seed)")
  }

  /// Each checkpoint keeps its steps' state in its own directory: only the last two
  /// checkpoints' stay, and state a crashed attempt left for a checkpoint it never
  /// committed is removed when the next run starts.
  @Test func stateDirectoriesFollowTheCheckpointsTheyBelongTo() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try Meshc.run(["sample", "--orders", "300"], in: root)
    let state = root.appendingPathComponent(".meshc/products/sales.orders/state")
    func kept() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: state.path)) ?? []).sorted() }
    let first = try Meshc.run(["run", "sales.orders", "--once"], in: root)
    #expect(first.status == 0, "\(first.stderr)")
    // Three files, three checkpoints: the dedupe's state of the last two.
    #expect(kept() == ["2", "3"])
    #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("3/unique/store/memory.state").path))
    try FileManager.default.createDirectory(
      at: state.appendingPathComponent("4/unique/store"), withIntermediateDirectories: true)
    let again = try Meshc.run(["run", "sales.orders", "--once"], in: root)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(kept() == ["2", "3"], "the uncommitted checkpoint's state is gone")
    // Past the budget the dedupe's keys move to RocksDB, and the summary says so.
    let small = try Meshc.run(
      ["run", "sales.orders", "--once", "--data-dir", "small", "--state-memory", "1KiB", "--format", "json"],
      in: root)
    #expect(small.status == 0, "\(small.stderr)")
    #expect(small.stdout.contains(#""stateInRocksDB":["unique"]"#), "\(small.stdout)")
  }

  /// A table-table join's output is a changelog: a batch port of it, or an aggregate
  /// reading it, would keep or count retracted rows, and are refused by name.
  @Test func aTableTableJoinsChangelogIsReadOnlyByStepsThatHandRetractionsOn() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let product = root.appendingPathComponent("products/marketing/order_owners.yaml")
    #expect(try Meshc.run(["sample", "--orders", "50"], in: root).status == 0)
    #expect(try Meshc.run(["run", "sales.orders", "customers.profiles", "--once"], in: root).status == 0)
    let cases = [
      (
        "- {name: current, kind: stream,",
        "- {name: files, kind: batch, from: public, format: jsonl, path: out/owners/}\n    - {name: current, kind: stream,",
        "batch port files publishes public, the changelog of the table-table join owned, which only a stream port"
      ),
      (
        "    - name: public\n",
        "    - {name: per_status, from: owned, aggregate: {groupBy: [status], window: {tumbling: 1d}, "
          + "measures: {orders: count(*)}}}\n    - name: public\n",
        "step per_status reads owned, the changelog of the table-table join owned; only filters, selects, unions"
      ),
      (
        "key: order_id, schema", "schema",
        "stream port current publishes public, the changelog of the table-table join owned, without a key"
      ),
    ]
    for (original, replacement, message) in cases {
      let manifest = RunOracleTests.orderOwners.replacingOccurrences(of: original, with: replacement)
      #expect(manifest != RunOracleTests.orderOwners)
      try Data(manifest.utf8).write(to: product)
      let run = try Meshc.run(["run", "marketing.order_owners", "--once"], in: root)
      #expect(run.status == 1)
      #expect(run.stderr.contains("error[E1001]: marketing.order_owners: \(message)"), "\(run.stderr)")
    }
  }

  /// `late: dead-letter`: a record whose window has closed goes to the dead-letter topic
  /// with the reason, counted in `late`; `late: update` publishes a corrected row instead.
  @Test func lateRecordsFollowTheWindowsLatePolicy() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let product = """
      apiVersion: meshc/v1
      kind: DataProduct
      metadata:
        name: daily_counts
        domain: inventory
        owner: {team: warehouse-systems, email: inventory-data@example.com}
        description: Stock counts per warehouse and day.
        alignment: aggregate
        lifecycle: draft
        tags: [inventory]
      spec:
        inputs:
          - {name: counts, format: jsonl, path: data/stock/*.jsonl, schema: schemas/inventory/stock_level.avsc, eventTime: counted_at}
        transforms:
          - name: per_day
            from: counts
            aggregate: {groupBy: [warehouse], window: {tumbling: 1d, late: dead-letter}, measures: {counted: count(*)}}
        outputs:
          - {name: daily, kind: stream, from: per_day, key: [warehouse, window_start], schema: schemas/inventory/daily_counts.avsc}
      """
    let manifest = root.appendingPathComponent("products/inventory/daily_counts.yaml")
    try Data(product.utf8).write(to: manifest)
    try Data(Self.dailyCountsSchema.utf8).write(to: root.appendingPathComponent("schemas/inventory/daily_counts.avsc"))
    // Read in path order: day 3, then day 5 (closing days 3 and 4), then day 4, late.
    let stock = root.appendingPathComponent("data/stock")
    try Data(Self.counts(day: 3, lines: 3).utf8).write(to: stock.appendingPathComponent("a.jsonl"))
    try Data(Self.counts(day: 5, lines: 3).utf8).write(to: stock.appendingPathComponent("b.jsonl"))
    try Data(Self.counts(day: 4, lines: 2).utf8).write(to: stock.appendingPathComponent("c.jsonl"))
    let run = try Meshc.run(["run", "inventory.daily_counts", "--once", "--format", "json"], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    let summary = try run.json()
    let products = try #require(summary["products"] as? [[String: Any]])
    #expect(products.first?["late"] as? Int == 2, "\(run.stdout)")
    #expect(products.first?["deadLettered"] as? Int == 2, "\(run.stdout)")
    let letters = try Self.values("inventory.daily_counts.dead-letter", in: root)
    #expect(letters.count == 2)
    #expect(
      letters.allSatisfy { $0.contains(#""reason":"late: its window closed at watermark 2026-11-15T08:00:00.000Z""#) },
      "\(letters)")
    #expect(letters.allSatisfy { $0.contains(#""step":"per_day""#) && $0.contains("2026-11-14") }, "\(letters)")
    let rows = try Self.values("inventory.daily_counts.daily", in: root)
    #expect(rows.count == 1 && rows[0].contains(#""counted":3"#), "\(rows)")

    // late: update, with room: a day-3 record after day 5's corrects day 3's row, which
    // is published again.
    try Data(Self.counts(day: 3, lines: 1).utf8).write(to: stock.appendingPathComponent("d.jsonl"))
    try Data(
      product.replacingOccurrences(
        of: "{tumbling: 1d, late: dead-letter}", with: "{tumbling: 1d, allowedLateness: 2d, late: update}"
      )
      .utf8
    ).write(to: manifest)
    let updated = try Meshc.run(["run", "inventory.daily_counts", "--once", "--data-dir", "updated"], in: root)
    #expect(updated.status == 0, "\(updated.stderr)")
    let upserts = try Self.values("inventory.daily_counts.daily", in: root, data: "updated")
    let dayThree = upserts.filter { $0.contains(#""key":"w0|"#) }
    #expect(dayThree.count == 2 && dayThree.contains { $0.contains(#""counted":4"#) }, "\(upserts)")
    #expect(upserts.contains { $0.contains(#""key":"w1|"#) && $0.contains(#""counted":2"#) }, "\(upserts)")
  }

  /// A union of two file inputs, read one after the other: the first input's later event
  /// times do not make the second's records late, since a watermark is the minimum over
  /// the inputs (an input with files still to read holds it where it has got); the second
  /// input's own disorder still is. A restart after the first input holds alike.
  @Test(arguments: [false, true])
  func aUnionOfFileInputsTakesTheMinimumOfTheirWatermarks(restartBetween: Bool) throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let product = """
      apiVersion: meshc/v1
      kind: DataProduct
      metadata:
        name: daily_counts
        domain: inventory
        owner: {team: warehouse-systems, email: inventory-data@example.com}
        description: Stock counts of two feeds per warehouse and day.
        alignment: aggregate
        lifecycle: draft
        tags: [inventory]
      spec:
        inputs:
          - {name: north, format: jsonl, path: data/north/*.jsonl, schema: schemas/inventory/stock_level.avsc, eventTime: counted_at}
          - {name: south, format: jsonl, path: data/south/*.jsonl, schema: schemas/inventory/stock_level.avsc, eventTime: counted_at}
        transforms:
          - {name: both, union: [north, south]}
          - name: per_day
            from: both
            aggregate: {groupBy: [warehouse], window: {tumbling: 1d, late: dead-letter}, measures: {counted: count(*)}}
        outputs:
          - {name: daily, kind: stream, from: per_day, key: [warehouse, window_start], schema: schemas/inventory/daily_counts.avsc}
      """
    try Data(product.utf8).write(to: root.appendingPathComponent("products/inventory/daily_counts.yaml"))
    try Data(Self.dailyCountsSchema.utf8).write(to: root.appendingPathComponent("schemas/inventory/daily_counts.avsc"))
    func write(_ text: String, _ path: String) throws {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    // north is read first and is two days ahead; south's day 4, then its day 3 (late
    // against south itself), then its day 6.
    try write(Self.counts(day: 5, lines: 4), "data/north/a.jsonl")
    try write(Self.counts(day: 4, lines: 4), "data/south/a.jsonl")
    try write(Self.counts(day: 3, lines: 2), "data/south/b.jsonl")
    if restartBetween {
      // The first run sees only north's file and south's first: it ends holding nothing.
      try FileManager.default.moveItem(
        at: root.appendingPathComponent("data/south/b.jsonl"), to: root.appendingPathComponent("b.later"))
      let first = try Meshc.run(["run", "inventory.daily_counts", "--once"], in: root)
      #expect(first.status == 0, "\(first.stderr)")
      try FileManager.default.moveItem(
        at: root.appendingPathComponent("b.later"), to: root.appendingPathComponent("data/south/b.jsonl"))
    }
    try write(Self.counts(day: 6, lines: 1), "data/south/c.jsonl")
    let run = try Meshc.run(["run", "inventory.daily_counts", "--once", "--format", "json"], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    let summary = try #require(try run.json()["products"] as? [[String: Any]])
    #expect(summary.first?["late"] as? Int == 2, "\(run.stdout)")
    // Day 4 (w1, south) and day 5 (w2, north) close once south gets to day 6; none of
    // south's day 4 is late. Its day 3 came after its day 4: late.
    let rows = try Self.values("inventory.daily_counts.daily", in: root)
    #expect(rows.count == 2, "\(rows)")
    #expect(rows.contains { $0.contains(#""key":"w1|"#) && $0.contains(#""counted":4"#) }, "\(rows)")
    #expect(rows.contains { $0.contains(#""key":"w2|"#) && $0.contains(#""counted":4"#) }, "\(rows)")
    let letters = try Self.values("inventory.daily_counts.dead-letter", in: root)
    #expect(letters.count == 2 && letters.allSatisfy { $0.contains("2026-11-13") }, "\(letters)")
  }

  /// An upstream topic that lost records behind the log's back: a downstream run stops
  /// there (E1001 naming the loss), and with --skip-damage reads on, a warning (W0703) at
  /// the flag for each range it stepped over, its position past them.
  @Test func aDownstreamRunStopsAtLostUpstreamRecordsUnlessItSkipsThem() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(try Meshc.run(["sample", "--orders", "400"], in: root).status == 0)
    let upstream = try Meshc.run(["run", "sales.orders", "--once"], in: root)
    #expect(upstream.status == 0, "\(upstream.stderr)")
    let folder = root.appendingPathComponent(".meshc/topics/sales.orders.stream/1")
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".log") {
      try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
    }
    let stopped = try Meshc.run(["run", "sales.daily_revenue", "--once"], in: root)
    #expect(stopped.status == 1)
    #expect(stopped.stderr.contains("E1001") && stopped.stderr.contains("lost the records"), "\(stopped.stderr)")
    let marked = MarkedSource("meshc run sales.daily_revenue --once 1️⃣--skip-damage --format json")
    let skipping = try Meshc.run(
      ["run", "sales.daily_revenue", "--once", "--skip-damage", "--format", "json"], in: root)
    #expect(skipping.status == 0, "\(skipping.stderr)")
    let diagnostics = try #require(try skipping.json()["diagnostics"] as? [[String: Any]])
    let warning = try #require(diagnostics.first { $0["code"] as? String == "W0703" }, "\(diagnostics)")
    #expect(warning["file"] as? String == "<command line>")
    #expect(warning["line"] as? Int == marked["1️⃣"]?.line)
    #expect(warning["column"] as? Int == marked["1️⃣"]?.column)
    #expect((warning["message"] as? String)?.contains("partition 1 lost the records") == true)
    // Its position moved past the loss: the next run has nothing to step over.
    let again = try Meshc.run(["run", "sales.daily_revenue", "--once", "--skip-damage"], in: root)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(!again.stderr.contains("W0703"), "\(again.stderr)")
  }

  /// A downstream product that runs between the kills of its upstream reads only what
  /// the upstream's runs committed: had it seen a record a restart set aside, its sums
  /// would count it twice and differ from those of a mesh that never crashed.
  @Test func aDownstreamProductRunningBetweenKillsSeesOnlyCommittedRecords() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(try Meshc.run(["sample", "--orders", "3000"], in: root).status == 0)
    let products = ["sales.orders", "sales.customer_activity"]
    let whole = try Meshc.run(["run"] + products + ["--once", "--data-dir", "whole"], in: root)
    #expect(whole.status == 0, "\(whole.stderr)")
    let expected = try Self.values("sales.customer_activity.current", in: root, data: "whole")
    var random = SeededRandom(seed: nil)
    var kills = 0
    for _ in 0..<30 {
      let process = Process()
      process.executableURL = Fixtures.meshcBinary
      process.arguments = ["run", "sales.orders", "--once", "--data-dir", "killed"]
      process.currentDirectoryURL = root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(2_000 + random.next() % 150_000))
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      // The downstream reads what is committed so far, while a crashed attempt's records
      // may sit past the committed end.
      let downstream = try Meshc.run(["run", "sales.customer_activity", "--once", "--data-dir", "killed"], in: root)
      // Before the upstream's first checkpoint there is nothing to read, and it says so.
      #expect(
        downstream.status == 0 || downstream.stderr.contains("sales.orders has not run on this data directory yet"),
        "\(downstream.stderr)")
      if process.terminationReason == .exit, process.terminationStatus == 0 { break }
    }
    #expect(try Meshc.run(["run"] + products + ["--once", "--data-dir", "killed"], in: root).status == 0)
    print("RunTests.aDownstreamProductRunningBetweenKills: \(kills) kills, seed \(random.seed)")
    // The table's latest row per customer is what counts; the changelog itself was
    // published in other pieces.
    func latest(_ values: [String]) throws -> [String: String] {
      var table: [String: String] = [:]
      for value in values {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any])
        let key = try #require(object["key"] as? String)
        table[key] = value
      }
      return table
    }
    let got = try latest(try Self.values("sales.customer_activity.current", in: root, data: "killed"))
    #expect(got == (try latest(expected)), "seed \(random.seed)")
  }
}
