import Foundation
import MeshData
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

/// pyarrow and DuckDB, independent implementations, read every file meshc writes, and
/// pyarrow writes them back in its own encodings for meshc to read: the records must be
/// the same both ways.
@Suite(.enabled(if: Oracle.available, Oracle.skipped)) struct ParquetOracleTests {
  /// Reads argv[1] with pyarrow, prints its rows and row groups, and writes it to argv[2]
  /// in the style argv[3] names.
  static let rewrite = """
    import sys, pyarrow.parquet as pq
    table = pq.read_table(sys.argv[1])
    rows, groups = table.num_rows, pq.ParquetFile(sys.argv[1]).metadata.num_row_groups
    style = sys.argv[3]
    if style == 'default':
        pq.write_table(table, sys.argv[2])
    elif style == 'plain-v2-zstd':
        pq.write_table(table, sys.argv[2], use_dictionary=False, data_page_version='2.0', compression='zstd',
                       data_page_size=1000, row_group_size=700)
    elif style == 'delta':
        pq.write_table(table, sys.argv[2], use_dictionary=False, compression='gzip', column_encoding={
            'i': 'DELTA_BINARY_PACKED', 'l': 'DELTA_BINARY_PACKED', 'day': 'DELTA_BINARY_PACKED',
            's': 'DELTA_BYTE_ARRAY', 'raw': 'DELTA_LENGTH_BYTE_ARRAY', 'maybe_s': 'DELTA_LENGTH_BYTE_ARRAY',
            'd': 'BYTE_STREAM_SPLIT', 'f': 'BYTE_STREAM_SPLIT', 'hash': 'BYTE_STREAM_SPLIT'})
    elif style == 'lz4-v1':
        pq.write_table(table, sys.argv[2], compression='lz4', data_page_version='1.0', write_statistics=False)
    print(rows, groups)
    """

  @Test(arguments: [
    (Codec.snappy, ParquetWriteOptions.PageVersion.v1, "default"), (.zstd, .v2, "plain-v2-zstd"),
    (.none, .v1, "delta"), (.gzip, .v2, "lz4-v1"), (.lz4Raw, .v1, "default"),
  ])
  func pyarrowAgrees(codec: Codec, version: ParquetWriteOptions.PageVersion, style: String) throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    print("ParquetOracleTests(\(codec), \(style)): seed \(random.values.random.seed)")
    let records = try random.records(2_000)
    let batches = try stride(from: 0, to: records.count, by: 500).map { start in
      try RandomRecords.batch(Array(records[start..<min(records.count, start + 500)]), schema: schema)
    }
    var options = ParquetRoundTripTests.small
    options.codec = codec
    options.pageVersion = version
    let directory = try Fixtures.makeTemporaryDirectory("parquet-oracle")
    defer { try? FileManager.default.removeItem(at: directory) }
    let ours = directory.appendingPathComponent("meshc.parquet")
    let theirs = directory.appendingPathComponent("pyarrow.parquet")
    try Data(try ParquetRoundTripTests.write(batches, schema: schema, options: options)).write(to: ours)
    let said = try Oracle.run(Self.rewrite, [ours.path, theirs.path, style]).split(separator: " ")
    #expect(said.first.map(String.init) == "\(records.count)")
    #expect((said.last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0) > 1)
    let (read, _) = try ParquetRoundTripTests.readRecords(Array(try Data(contentsOf: theirs)))
    #expect(read == records, "seed \(random.values.random.seed)")
  }

  /// DuckDB's sums over meshc's file equal the ones taken from the batches written.
  @Test func duckdbAgrees() throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    let batch = try RandomRecords.batch(try random.records(3_000), schema: schema)
    let directory = try Fixtures.makeTemporaryDirectory("parquet-duckdb")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("meshc.parquet")
    try Data(try ParquetRoundTripTests.write([batch], schema: schema, options: ParquetRoundTripTests.small)).write(
      to: file)
    let said = try Oracle.run(
      """
      import sys, duckdb
      row = duckdb.sql(f"select count(*), sum(i::hugeint), count(maybe_s), sum(len(counts)), count(address), \\
          sum(len(address.lines)), sum(cardinality(rates)), count(maybe_l) from read_parquet('{sys.argv[1]}')").fetchall()[0]
      print(' '.join(str(value) for value in row))
      """, [file.path])
    func column(_ name: String) throws -> Column { batch.columns[try #require(batch.schema.index(of: name))] }
    var integers: Int64 = 0
    if case .int32(let values) = try column("i").values { integers = values.reduce(0) { $0 + Int64($1) } }
    func present(_ column: Column) -> Int { column.count - (column.validity?.nullCount ?? 0) }
    func items(_ column: Column) -> Int {
      switch column.values {
      case .list(let offsets, _), .map(let offsets, _, _):
        return column.rows.reduce(0) { total, row in
          column.isNull(row) ? total : total + Int(offsets[row + 1] - offsets[row])
        }
      default: return 0
      }
    }
    let address = try column("address")
    var lines = 0
    if case .record(let fields, _) = address.values, let field = fields.last {
      lines = (0..<address.count).reduce(0) { total, row in
        guard !address.isNull(row), case .list(let offsets, _) = field.values else { return total }
        return total + Int(offsets[row + 1] - offsets[row])
      }
    }
    let expected = [
      "\(batch.count)", "\(integers)", "\(present(try column("maybe_s")))", "\(items(try column("counts")))",
      "\(present(address))", "\(lines)", "\(items(try column("rates")))", "\(present(try column("maybe_l")))",
    ]
    #expect(said.trimmingCharacters(in: .whitespacesAndNewlines) == expected.joined(separator: " "))
  }
}

extension Column {
  fileprivate var rows: Range<Int> { 0..<count }
}

/// DuckDB writes a table of every type it shares with meshc in each codec and Parquet
/// version (v2 brings DELTA encodings and v2 data pages); meshc reads each file and
/// writes it again, and DuckDB finds the two files hold the same rows.
@Suite(.enabled(if: Oracle.available, Oracle.skipped)) struct DuckDBParquetTests {
  static let script = """
    import sys, duckdb
    directory = sys.argv[1]
    duckdb.sql(\"\"\"create table t as select
      i::integer as i, (i * 1000003)::bigint as l, i / 7.0 as d, (i % 100)::float as f, (i % 2 = 0) as b,
      'name-' || (i % 37) as s, case when i % 5 = 0 then null else 'v' || i end as maybe_s,
      date '2024-01-01' + (i % 400)::integer as day, timestamp '2024-01-01' + to_microseconds(i * 1234567) as ts,
      timestamptz '2024-01-01 00:00:00+00' + to_seconds(i) as at, time '08:00:00' + to_seconds(i % 1000) as clock,
      (i / 100)::decimal(18,3) as price, (i % 1000)::decimal(9,2) as small_price, md5(i::varchar)::uuid as id,
      (i % 200)::utinyint as tiny, (i % 30000)::smallint as small, 'x'::blob || i::varchar::blob as raw,
      case when i % 3 = 0 then null else [i, i + 1, null] end as list,
      {'a': i, 'b': 'x' || i, 'c': [i % 4]} as rec, map(['k' || (i % 3)], [i]) as m,
      case when i % 4 = 0 then null else [[i], [], null] end as nested
      from range(3000) r(i)\"\"\")
    for codec in ['uncompressed', 'snappy', 'gzip', 'zstd', 'lz4']:
        for version in ['V1', 'V2']:
            duckdb.sql(f"copy t to '{directory}/duckdb-{codec}-{version}.parquet' "
                       f"(format parquet, compression {codec}, row_group_size 1000, parquet_version {version})")
    """

  static let compare = """
    import sys, duckdb
    a, b = sys.argv[1], sys.argv[2]
    def count(query): return duckdb.sql(query).fetchall()[0][0]
    left = count(f"select count(*) from (select * from read_parquet('{a}') except all select * from read_parquet('{b}'))")
    right = count(f"select count(*) from (select * from read_parquet('{b}') except all select * from read_parquet('{a}'))")
    print(count(f"select count(*) from read_parquet('{b}')"), left, right)
    """

  @Test func meshcReadsWhatDuckDBWrites() throws {
    let directory = try Fixtures.makeTemporaryDirectory("duckdb-parquet")
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try Oracle.run(Self.script, [directory.path])
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("duckdb-") }
    #expect(files.count == 10)
    for name in files.sorted() {
      let theirs = directory.appendingPathComponent(name)
      let reader = try ParquetReader(source: try ParquetFile(path: theirs.path))
      var batches: [RecordBatch] = []
      while let batch = try reader.nextBatch() { batches.append(batch) }
      let ours = directory.appendingPathComponent("meshc-\(name)")
      try Data(try ParquetWriter(schema: reader.avroSchema).file(of: batches)).write(to: ours)
      let said = try Oracle.run(Self.compare, [theirs.path, ours.path])
      #expect(said.trimmingCharacters(in: .whitespacesAndNewlines) == "3000 0 0", "\(name)")
    }
    print("DuckDBParquetTests: \(files.count) DuckDB files read and written back unchanged")
  }
}
