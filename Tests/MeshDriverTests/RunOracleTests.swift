import Foundation
import MeshTestSupport
import Testing

/// The example mesh on `meshc sample`'s data, against DuckDB: the same filter, dedupe,
/// currency conversion and daily sums per country over the same CSV files, restricted
/// to the days whose window the watermark has closed, give the rows sales.daily_revenue
/// writes to its Parquet files; DuckDB's ASOF joins over the upstream topics give the
/// promotions marketing.shoe_promotions' temporal joins publish, and its ordinary joins
/// the pairs of a union followed by a stream-stream (interval) join.
@Suite(.enabled(if: Oracle.available, Oracle.skipped)) struct RunOracleTests {
  static let revenue = #"""
    import sys, duckdb
    rows = duckdb.sql(f'''
    with raw as (select * from read_csv('{sys.argv[1]}/data/orders/*.csv', header=true, ignore_errors=true,
       columns={{'order_id':'VARCHAR','customer_id':'VARCHAR','sku':'VARCHAR','quantity':'INTEGER','amount':'DOUBLE','currency':'VARCHAR','fx_rate':'DOUBLE','status':'VARCHAR','country':'VARCHAR','placed_at':'TIMESTAMPTZ'}})),
    valid as (select * from raw where status <> 'test' and amount >= 0),
    uniq as (select distinct on (order_id, status) * from valid order by order_id, status, placed_at),
    paid as (select country, date_trunc('day', placed_at at time zone 'UTC') d, placed_at at time zone 'UTC' t, amount*fx_rate eur from uniq where status='paid')
    select country, strftime(d, '%Y-%m-%d') as window_day, sum(eur) as revenue, count(*) as n from paid
    where d + interval 1 day <= (select max(t) - interval 1 hour from paid) group by all order by window_day, country
    ''').fetchall()
    for r in rows: print(f"{r[0]} {r[1]} {r[2]:.6f} {r[3]}")
    """#

  @Test func dailyRevenueMatchesDuckDB() throws {
    let root = try RunTests.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let sample = try Meshc.run(["sample", "--orders", "600"], in: root)
    #expect(sample.status == 0, "\(sample.stderr)")
    _ = try Meshc.run(["run", "sales.orders", "sales.daily_revenue", "--once"], in: root)
    let files = try FileManager.default.subpathsOfDirectory(
      atPath: root.appendingPathComponent("out/sales/daily_revenue").path
    ).filter { $0.hasSuffix(".parquet") }.sorted()
    var ours: [String] = []
    for file in files {
      let cat = try Meshc.run(["cat", "out/sales/daily_revenue/" + file], in: root)
      for line in cat.stdout.split(separator: "\n") {
        let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let country = try #require(row["country"] as? String)
        let day = try #require((row["window_start"] as? String)?.prefix(10))
        let revenue = try #require(row["revenue_eur"] as? Double)
        let orders = try #require(row["orders"] as? Int)
        ours.append("\(country) \(day) \(String(format: "%.6f", revenue)) \(orders)")
      }
    }
    let theirs = try Oracle.run(Self.revenue, [root.path]).split(separator: "\n").map(String.init)
    #expect(!theirs.isEmpty)
    #expect(ours.sorted() == theirs.sorted())
    print("RunOracleTests: \(ours.count) daily revenue rows agree with DuckDB")
  }

  /// Python that loads the topics as meshc consume prints them, from `<name>.topic` files
  /// in the directory its first argument names, into DuckDB: `load(name)` gives the path
  /// of the values as JSON Lines, each with its offset, so that of two versions at one
  /// time the later wins, as in a table.
  static let topicLoader = #"""
    import sys, json, os, duckdb
    root = sys.argv[1]
    def load(name):
        path = os.path.join(root, name + '.jsonl')
        with open(path, 'w') as out:
            for line in open(os.path.join(root, name + '.topic')):
                record = json.loads(line)
                value = record['value']
                value['_offset'] = record['offset']
                out.write(json.dumps(value) + '\n')
        return path
    """# + "\n"

  static let promotions =
    topicLoader + #"""
      duckdb.sql(f"create table orders as select * from read_json('{load('orders')}')")
      duckdb.sql(f"create table customers as select * from read_json('{load('customers')}')")
      duckdb.sql(f"create table stock as select * from read_json('{load('stock')}')")
      rows = duckdb.sql('''
      with shoe as (select * from orders where status = 'paid' and sku like 'SHOE-%'
         and placed_at < (select max(changed_at) from customers)),
      latest as (select * from customers
         qualify row_number() over (partition by customer_id, changed_at order by _offset desc) = 1),
      buyers as (select shoe.*, latest.email, latest.marketing_opt_in from shoe asof join latest
         on shoe.customer_id = latest.customer_id and shoe.placed_at >= latest.changed_at),
      opted as (select * from buyers where marketing_opt_in and placed_at < (select max(counted_at) from stock)),
      keyed as (select opted.*, k.warehouse from opted join (select distinct sku, warehouse from stock) k using (sku)),
      offers as (select keyed.*, s.category, s.available from keyed asof join stock s
         on keyed.sku = s.sku and keyed.warehouse = s.warehouse and keyed.placed_at >= s.counted_at)
      select customer_id, email, sku, available, amount_eur, placed_at from offers
      where category = 'shoes' and available > 0
      ''').fetchall()
      for r in rows: print(f"{r[0]} {r[1]} {r[2]} {r[3]} {r[4]:.2f} {r[5]}")
      """#

  @Test func shoePromotionsMatchDuckDBsAsofJoins() throws {
    let root = try RunTests.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let sample = try Meshc.run(["sample", "--orders", "900"], in: root)
    #expect(sample.status == 0, "\(sample.stderr)")
    let run = try Meshc.run(["run", "products", "--once"], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    let topics = [
      ("orders", "sales.orders.stream"), ("customers", "customers.profiles.changes"),
      ("stock", "inventory.stock.levels"), ("promotions", "marketing.shoe_promotions.promotions"),
    ]
    for (name, topic) in topics {
      let consumed = try Meshc.run(["consume", topic, "--from-beginning"], in: root)
      #expect(consumed.status == 0, "\(consumed.stderr)")
      try Data(consumed.stdout.utf8).write(to: root.appendingPathComponent("\(name).topic"))
    }
    var ours: [String] = []
    let promotions = try String(contentsOf: root.appendingPathComponent("promotions.topic"), encoding: .utf8)
    for line in promotions.split(separator: "\n") {
      let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let row = try #require(record["value"] as? [String: Any])
      let fields = try ["customer_id", "email", "sku"].map { try #require(row[$0] as? String) }
      let available = try #require(row["available"] as? Int)
      let amount = try #require(row["last_purchase_eur"] as? Double)
      let placed = try #require(row["placed_at"] as? Int)
      ours.append(fields.joined(separator: " ") + " \(available) \(String(format: "%.2f", amount)) \(placed)")
    }
    let theirs = try Oracle.run(Self.promotions, [root.path]).split(separator: "\n").map(String.init)
    #expect(theirs.count > 10)
    #expect(ours.sorted() == theirs.sorted())
    print("RunOracleTests: \(ours.count) shoe promotions agree with DuckDB's ASOF joins")
  }

  static let orderStock = """
    apiVersion: meshc/v1
    kind: DataProduct
    metadata:
      name: order_stock
      domain: marketing
      owner: {team: growth, email: growth@example.com}
      description: Shoe and hat orders paired with the stock counts of their sku within 4 hours.
      alignment: consumer
      lifecycle: draft
      tags: [orders, stock]
    spec:
      inputs:
        - {name: orders, product: sales.orders, port: stream}
        - {name: stock, product: inventory.stock, port: levels}
      transforms:
        - {name: shoes, from: orders, filter: "sku LIKE 'SHOE-%'"}
        - {name: hats, from: orders, filter: "sku LIKE 'HAT-%'"}
        - {name: both, union: [shoes, hats]}
        - name: pairs
          join: {left: both, right: stock, on: sku, kind: stream-stream, within: 4h, type: left}
        - name: public
          from: pairs
          select: {order_id: order_id, sku: sku, warehouse: warehouse, available: available, placed_at: placed_at}
      outputs:
        - {name: matched, kind: batch, from: public, format: jsonl, path: out/marketing/order_stock/, schema: schemas/marketing/order_stock.avsc}
    """

  static let orderStockSchema = """
    {"type": "record", "name": "OrderStock", "namespace": "shop.marketing", "fields": [
      {"name": "order_id", "type": "string"}, {"name": "sku", "type": "string"},
      {"name": "warehouse", "type": ["null", "string"]}, {"name": "available", "type": ["null", "int"]},
      {"name": "placed_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}
    """

  /// DuckDB's pairs of the interval join; with `type: left`, the orders alone too.
  static func pairs(_ type: String) -> String {
    pairsQuery.replacingOccurrences(of: "-- alone:", with: type == "left" ? "" : "--")
  }

  static let pairsQuery =
    topicLoader + #"""
      from datetime import datetime, timezone
      duckdb.sql(f"create table o as select * from read_json('{load('orders')}') where sku like 'SHOE-%' or sku like 'HAT-%'")
      duckdb.sql(f"create table s as select * from read_json('{load('stock')}')")
      rows = duckdb.sql('''
      select o.order_id, o.sku, s.warehouse, s.available, o.placed_at from o join s
        on o.sku = s.sku and abs(o.placed_at - s.counted_at) <= 14400000
      -- alone: union all
      -- alone: select o.order_id, o.sku, null, null, o.placed_at from o
      -- alone: where not exists (select 1 from s where s.sku = o.sku and abs(o.placed_at - s.counted_at) <= 14400000)
      -- alone:   and o.placed_at + 14400000 < (select max(counted_at) from s)
      ''').fetchall()
      for r in rows:
          at = datetime.fromtimestamp(r[4] / 1000, tz=timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
          print(f"{r[0]} {r[1]} {r[2]} {r[3]} {at}")
      """#

  @Test(arguments: ["inner", "left"]) func aUnionAndAnIntervalJoinMatchDuckDB(_ type: String) throws {
    let root = try RunTests.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let manifest = Self.orderStock.replacingOccurrences(of: "type: left", with: "type: \(type)")
    try Data(manifest.utf8).write(to: root.appendingPathComponent("products/marketing/order_stock.yaml"))
    try Data(Self.orderStockSchema.utf8).write(to: root.appendingPathComponent("schemas/marketing/order_stock.avsc"))
    let sample = try Meshc.run(["sample", "--orders", "600"], in: root)
    #expect(sample.status == 0, "\(sample.stderr)")
    let run = try Meshc.run(["run", "marketing.order_stock", "sales.orders", "inventory.stock", "--once"], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    for (name, topic) in [("orders", "sales.orders.stream"), ("stock", "inventory.stock.levels")] {
      let consumed = try Meshc.run(["consume", topic, "--from-beginning"], in: root)
      try Data(consumed.stdout.utf8).write(to: root.appendingPathComponent("\(name).topic"))
    }
    let directory = root.appendingPathComponent("out/marketing/order_stock")
    var ours: [String] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".jsonl") {
      let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
      for line in text.split(whereSeparator: \.isNewline) {
        let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let fields = ["order_id", "sku", "warehouse", "available", "placed_at"].map { key in
          row[key].map { $0 is NSNull ? "None" : "\($0)" } ?? "None"
        }
        ours.append(fields.joined(separator: " "))
      }
    }
    let theirs = try Oracle.run(Self.pairs(type), [root.path]).split(separator: "\n").map(String.init)
    #expect(theirs.count > 50)
    #expect(theirs.contains { $0.contains(" None None ") } == (type == "left"))
    #expect(ours.sorted() == theirs.sorted())
    print("RunOracleTests: \(ours.count) pairs of a union and an interval join (\(type)) agree with DuckDB")
  }

  /// The example mesh's table-table join (`marketing.order_owners`), which tests vary.
  static var orderOwners: String {
    (try? String(
      contentsOf: Fixtures.packageRoot.appendingPathComponent("products/marketing/order_owners.yaml"), encoding: .utf8))
      ?? ""
  }

  /// The latest order per id that is not cancelled, left-joined with the latest profile
  /// of its customer — latest by event time, the later record of two at one time — the
  /// table the changelog, compacted, must be.
  static func owners(_ type: String) -> String {
    ownersQuery.replacingOccurrences(
      of: "from o left join c", with: type == "left" ? "from o left join c" : "from o join c")
  }

  static let ownersQuery =
    topicLoader + #"""
      duckdb.sql(f"create table orders as select * from read_json('{load('orders')}')")
      duckdb.sql(f"create table customers as select * from read_json('{load('customers')}')")
      rows = duckdb.sql('''
      with o as (select * from orders
         qualify row_number() over (partition by order_id order by placed_at desc, _offset desc) = 1),
      c as (select * from customers
         qualify row_number() over (partition by customer_id order by changed_at desc, _offset desc) = 1)
      select o.order_id, o.customer_id, o.status, c.email, c.marketing_opt_in, o.placed_at
      from o left join c using (customer_id) where o.status <> 'cancelled'
      ''').fetchall()
      for r in rows: print(' '.join('None' if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in r))
      """#

  @Test(arguments: ["inner", "left"])
  func aTableTableJoinsChangelogCompactsToDuckDBsJoinOfTheLatestRows(_ type: String) throws {
    let root = try RunTests.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let manifest = Self.orderOwners.replacingOccurrences(of: "type: left", with: "type: \(type)")
    try Data(manifest.utf8).write(to: root.appendingPathComponent("products/marketing/order_owners.yaml"))
    let sample = try Meshc.run(["sample", "--orders", "600"], in: root)
    #expect(sample.status == 0, "\(sample.stderr)")
    let run = try Meshc.run(
      ["run", "marketing.order_owners", "sales.orders", "customers.profiles", "--once"], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    let topics = [
      ("orders", "sales.orders.stream"), ("customers", "customers.profiles.changes"),
      ("owners", "marketing.order_owners.current"),
    ]
    for (name, topic) in topics {
      let consumed = try Meshc.run(["consume", topic, "--from-beginning"], in: root)
      #expect(consumed.status == 0, "\(consumed.stderr)")
      try Data(consumed.stdout.utf8).write(to: root.appendingPathComponent("\(name).topic"))
    }
    // Compacted: the last record per key wins; a tombstone (no value) removes the key.
    var table: [String: String] = [:]
    var tombstones = 0
    let changelog = try String(contentsOf: root.appendingPathComponent("owners.topic"), encoding: .utf8)
    for line in changelog.split(whereSeparator: \.isNewline) {
      let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let key = try #require(record["key"] as? String)
      guard let row = record["value"] as? [String: Any] else {
        table[key] = nil
        tombstones += 1
        continue
      }
      let fields = ["order_id", "customer_id", "status", "email", "opt_in", "placed_at"].map { name in
        switch row[name] {
        case nil, is NSNull: "None"
        case let flag as Bool: "\(flag)"
        case let value?: "\(value)"
        }
      }
      table[key] = fields.joined(separator: " ")
    }
    let theirs = try Oracle.run(Self.owners(type), [root.path]).split(separator: "\n").map(String.init)
    #expect(theirs.count > 100)
    #expect(tombstones > 0)
    let ours = Set(table.values)
    #expect(
      ours == Set(theirs),
      "only meshc: \(ours.subtracting(theirs).sorted()); only DuckDB: \(Set(theirs).subtracting(ours).sorted())")
    print(
      "RunOracleTests: \(table.count) rows of a table-table join (\(type)) agree with DuckDB (\(tombstones) tombstones)"
    )
  }

  /// Per customer, over the paid orders of the topic: the totals, and the sessions of
  /// orders less than 6 hours apart that the last paid order's time has closed.
  static let activity =
    topicLoader + #"""
      from datetime import datetime, timezone
      duckdb.sql(f"create table paid as select * from read_json('{load('orders')}') where status = 'paid'")
      for r in duckdb.sql('''
      select customer_id, count(*), sum(amount_eur), count(distinct sku), max(placed_at), max(sku),
        arg_min(sku, placed_at) from paid group by customer_id
      ''').fetchall():
          print(f"total {r[0]} {r[1]} {r[2]:.4f} {r[3]} {r[4]} {r[5]} {r[6]}")
      for r in duckdb.sql('''
      with marked as (select *, case when placed_at - lag(placed_at) over w >= 21600000 then 1 else 0 end as new
        from paid window w as (partition by customer_id order by placed_at)),
      numbered as (select *, sum(new) over (partition by customer_id order by placed_at) as session from marked)
      select customer_id, min(placed_at), max(placed_at) + 21600000, count(*), sum(amount_eur),
        arg_max(sku, placed_at) from numbered group by customer_id, session
      having max(placed_at) + 21600000 <= (select max(placed_at) from paid)
      ''').fetchall():
          at = lambda ms: datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
          print(f"session {r[0]} {at(r[1])} {at(r[2])} {r[3]} {r[4]:.4f} {r[5]}")
      """#

  @Test func aTableAggregateAndSessionWindowsMatchDuckDB() throws {
    let root = try RunTests.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let sample = try Meshc.run(["sample", "--orders", "900"], in: root)
    #expect(sample.status == 0, "\(sample.stderr)")
    let run = try Meshc.run(["run", "sales.orders", "sales.customer_activity", "--once"], in: root)
    #expect(run.status == 0, "\(run.stderr)")
    let orders = try Meshc.run(["consume", "sales.orders.stream", "--from-beginning"], in: root)
    try Data(orders.stdout.utf8).write(to: root.appendingPathComponent("orders.topic"))
    // The table: the last upsert per customer.
    var totals: [String: String] = [:]
    let current = try Meshc.run(["consume", "sales.customer_activity.current", "--from-beginning"], in: root)
    for line in current.stdout.split(whereSeparator: \.isNewline) {
      let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let row = try #require(record["value"] as? [String: Any])
      let customer = try #require(row["customer_id"] as? String)
      let spent = try #require(row["spent"] as? Double)
      let fields =
        [customer, "\(row["orders"] ?? "")", String(format: "%.4f", spent)]
        + ["skus", "latest", "top", "opening"].map { "\(row[$0] ?? "")" }
      totals[customer] = "total " + fields.joined(separator: " ")
    }
    var ours = Array(totals.values)
    let directory = root.appendingPathComponent("out/sales/visits")
    for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".jsonl") {
      let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
      for line in text.split(whereSeparator: \.isNewline) {
        let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let spent = try #require(row["spent"] as? Double)
        let fields = ["customer_id", "window_start", "window_end", "orders"].map { "\(row[$0] ?? "")" }
        ours.append(
          "session " + (fields + [String(format: "%.4f", spent), "\(row["closing"] ?? "")"]).joined(separator: " "))
      }
    }
    let theirs = try Oracle.run(Self.activity, [root.path]).split(separator: "\n").map(String.init)
    #expect(theirs.filter { $0.hasPrefix("session ") }.count > 50)
    #expect(theirs.filter { $0.hasPrefix("total ") }.count > 50)
    let mine = Set(ours)
    #expect(
      mine == Set(theirs) && ours.count == theirs.count,
      "only meshc: \(mine.subtracting(theirs).sorted()); only DuckDB: \(Set(theirs).subtracting(mine).sorted())")
    print(
      "RunOracleTests: \(totals.count) customers' totals and \(ours.count - totals.count) sessions agree with DuckDB")
  }
}
