import Foundation
import MeshTestSupport
import Testing

/// The example mesh on `meshc sample`'s data, against DuckDB: the same filter, dedupe,
/// currency conversion and daily sums per country over the same CSV files, restricted
/// to the days whose window the watermark has closed, give the rows sales.daily_revenue
/// writes to its Parquet files.
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
}
