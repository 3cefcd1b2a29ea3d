import Foundation
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

/// `meshc cat` and `meshc schema` on Avro container files and Parquet files, run as the binary.
@Suite struct FileCommandsTests {
  static let schema =
    #"{"type":"record","name":"shop.Order","fields":[{"name":"id","type":"string"},{"name":"qty","type":"int"}]}"#

  /// A container of `count` orders, its bytes spelled out by the specification, so that
  /// the test does not depend on meshc's own writer.
  static func container(count: Int) -> [UInt8] {
    func long(_ value: Int) -> [UInt8] {
      var zigzag = UInt64(bitPattern: Int64(value << 1) ^ Int64(value >> 63))
      var out: [UInt8] = []
      while zigzag >= 0x80 {
        out.append(UInt8(zigzag & 0x7F) | 0x80)
        zigzag >>= 7
      }
      return out + [UInt8(zigzag)]
    }
    func string(_ text: String) -> [UInt8] { long(text.utf8.count) + Array(text.utf8) }
    let sync = [UInt8](repeating: 7, count: 16)
    var file: [UInt8] = [0x4F, 0x62, 0x6A, 0x01] + long(2)
    file += string("avro.schema") + string(schema) + string("avro.codec") + string("null") + long(0) + sync
    let records = (0..<count).flatMap { string("o\($0)") + long($0) }
    file += long(count) + long(records.count) + records + sync
    return file
  }

  @Test func catPrintsRecordsAndSchemaPrintsTheSchema() throws {
    let directory = try Fixtures.makeTemporaryDirectory("file-commands")
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(Self.container(count: 5)).write(to: directory.appendingPathComponent("orders.avro"))
    let cat = try Meshc.run(["cat", "orders.avro", "--limit", "2"], in: directory)
    #expect(cat.status == 0, "\(cat.stderr)")
    #expect(cat.stdout == #"{"id":"o0","qty":0}"# + "\n" + #"{"id":"o1","qty":1}"# + "\n")
    let all = try Meshc.run(["cat", "orders.avro", "orders.avro"], in: directory)
    #expect(all.stdout.split(separator: "\n").count == 10)
    let schema = try Meshc.run(["schema", "orders.avro"], in: directory)
    #expect(schema.status == 0)
    #expect(schema.stdout == Self.schema + "\n")
  }

  @Test func damagedAndForeignFilesAreNamedWithTheirCodes() throws {
    let directory = try Fixtures.makeTemporaryDirectory("file-commands")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = Self.container(count: 3)
    try Data(file.dropLast(20)).write(to: directory.appendingPathComponent("cut.avro"))
    try Data("id,qty\n".utf8).write(to: directory.appendingPathComponent("orders.txt"))
    let cut = try Meshc.run(["cat", "cut.avro"], in: directory)
    #expect(cut.status == 1)
    #expect(cut.stderr.contains("error[E0901]: cut.avro: block 0 at byte"), "\(cut.stderr)")
    let foreign = try Meshc.run(["schema", "orders.txt"], in: directory)
    #expect(foreign.status == 1)
    #expect(foreign.stderr.contains("error[E0902]: orders.txt: not an Avro container or Parquet file"))
    let missing = try Meshc.run(["cat", "none.avro"], in: directory)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("error[E0003]: none.avro: cannot be read"))
    let limit = try Meshc.run(["cat", "cut.avro", "--limit", "0"], in: directory)
    #expect(limit.status == 2)
  }

  /// A Parquet file of `count` orders, written by meshc's writer (the oracle tests check
  /// that writer against pyarrow and DuckDB).
  static func parquet(count: Int) throws -> [UInt8] {
    let schema = try #require(Schema.parse(SourceFile(path: "orders.avsc", text: Self.schema)).schema)
    let records = try #require(RecordSchema(avro: schema))
    let ids = (0..<count).map { Array("o\($0)".utf8) }
    var offsets: [Int32] = [0]
    for id in ids { offsets.append((offsets.last ?? 0) + Int32(id.count)) }
    let batch = RecordBatch(
      schema: records,
      columns: [
        Column(type: .string, values: .binary(offsets: offsets, bytes: ids.flatMap { $0 })),
        Column(type: .int32, values: .int32((0..<count).map { Int32($0) })),
      ], rowCount: count)
    let writer = try ParquetWriter(schema: schema)
    try writer.write(batch)
    try writer.finish()
    return writer.takeOutput()
  }

  @Test func parquetFilesPrintTheirRecordsAndBothSchemas() throws {
    let directory = try Fixtures.makeTemporaryDirectory("file-commands")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = try Self.parquet(count: 5)
    try Data(file).write(to: directory.appendingPathComponent("orders.parquet"))
    try Data(file.dropLast(3)).write(to: directory.appendingPathComponent("cut.parquet"))
    let cat = try Meshc.run(["cat", "orders.parquet", "--limit", "2"], in: directory)
    #expect(cat.status == 0, "\(cat.stderr)")
    #expect(cat.stdout == #"{"id":"o0","qty":0}"# + "\n" + #"{"id":"o1","qty":1}"# + "\n")
    let schema = try Meshc.run(["schema", "orders.parquet"], in: directory)
    #expect(schema.stdout == Self.schema + "\n")
    let layout = try Meshc.run(["schema", "--parquet", "orders.parquet"], in: directory)
    #expect(layout.status == 0)
    #expect(layout.stdout.contains("message schema {\n  required binary id (STRING);\n  required int32 qty;\n}"))
    #expect(layout.stdout.contains("5 rows in 1 row group, written by meshc"))
    #expect(layout.stdout.contains("qty: INT32 SNAPPY PLAIN,RLE,RLE_DICTIONARY, 5 values"), "\(layout.stdout)")
    let cut = try Meshc.run(["cat", "cut.parquet"], in: directory)
    #expect(cut.status == 1)
    #expect(cut.stderr.contains("error[E0901]: cut.parquet: it does not begin and end with PAR1"), "\(cut.stderr)")
    try Data(Self.container(count: 2)).write(to: directory.appendingPathComponent("orders.avro"))
    let notParquet = try Meshc.run(["schema", "--parquet", "orders.avro"], in: directory)
    #expect(notParquet.status == 2)
  }

  @Test func csvAndJSONLinesPrintTheirRecordsAndLocateWhatDoesNotRead() throws {
    let directory = try Fixtures.makeTemporaryDirectory("file-commands")
    defer { try? FileManager.default.removeItem(at: directory) }
    func write(_ name: String, _ text: String) throws {
      try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
    try write("orders.csv", "id,note\no1,\"a, \"\"b\"\"\"\no2,\"two\nlines\"\no3,\n")
    try write("orders.tsv", "id\tqty\no1\t2\n")
    try write("orders.jsonl", "{\"id\": \"o1\"}\n\n[1, 2]\n")
    try write("open.csv", "id,note\no1,\"never closed\n")
    try write("ragged.csv", "id,note\no1,x,y\n")
    try write("bad.jsonl", "{\"id\": 1}\n{\"id\": }\n")
    let csv = try Meshc.run(["cat", "orders.csv", "orders.tsv", "--limit", "4"], in: directory)
    #expect(csv.status == 0, "\(csv.stderr)")
    #expect(
      csv.stdout == #"{"id":"o1","note":"a, \"b\""}"# + "\n" + #"{"id":"o2","note":"two\nlines"}"# + "\n"
        + #"{"id":"o3","note":""}"# + "\n" + #"{"id":"o1","qty":"2"}"# + "\n")
    let lines = try Meshc.run(["cat", "orders.jsonl"], in: directory)
    #expect(lines.stdout == "{\"id\": \"o1\"}\n[1, 2]\n")
    let open = try Meshc.run(["cat", "open.csv"], in: directory)
    #expect(open.status == 1)
    #expect(open.stderr.contains("open.csv:2:4: error[E0901]: a quoted field is never closed"), "\(open.stderr)")
    let ragged = try Meshc.run(["cat", "ragged.csv"], in: directory)
    #expect(ragged.stderr.contains("ragged.csv:2:6: error[E0901]: a record of 3 fields under a header of 2"))
    let bad = try Meshc.run(["cat", "bad.jsonl"], in: directory)
    #expect(bad.stdout == "{\"id\": 1}\n")
    #expect(bad.stderr.contains("bad.jsonl:2:8: error[E0901]: not JSON"), "\(bad.stderr)")
    let schema = try Meshc.run(["schema", "orders.csv"], in: directory)
    #expect(schema.status == 1)
    #expect(schema.stderr.contains("error[E0902]: orders.csv: a CSV or JSON Lines file carries no schema"))
  }
}
