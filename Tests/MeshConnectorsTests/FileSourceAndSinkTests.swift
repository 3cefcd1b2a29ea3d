import Foundation
import MeshConnectors
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

@Suite struct FileSourceAndSinkTests {
  static let schemaText = """
    {"type": "record", "name": "Order", "fields": [
      {"name": "id", "type": "string"},
      {"name": "qty", "type": "int"},
      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "coupon", "type": ["null", "string"], "default": null}
    ]}
    """

  static func schema() throws -> Schema {
    try #require(Schema.parse(SourceFile(path: "order.avsc", text: schemaText)).schema)
  }

  static func write(_ text: String, _ path: String, in root: URL) throws {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  static func rows(_ read: FileSource.Read, schema: Schema) -> [String] {
    var out: [UInt8] = []
    for batch in read.batches { BatchJSON(avro: schema).append(batch, to: &out) }
    return String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test func readsMatchingFilesOnceAndAgainWhenRewritten() throws {
    let root = try Fixtures.makeTemporaryDirectory("file-source")
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.write("id,qty,at\no1,2,2026-11-24T19:00:00Z\no2,x,0\n", "data/orders/b.csv", in: root)
    try Self.write("id,qty,at,coupon\no3,1,0,SPRING\n", "data/orders/a.csv", in: root)
    try Self.write("ignored", "data/orders/notes.txt", in: root)
    let schema = try Self.schema()
    let source = try FileSource(root: root, glob: PathGlob("data/orders/*.csv"), format: .csv, schema: schema)
    #expect(source.matchingFiles() == ["data/orders/a.csv", "data/orders/b.csv"])
    var tracker = FileTracker()
    let first = try #require(try source.read("data/orders/b.csv", skipping: tracker))
    #expect(
      Self.rows(first, schema: schema) == [#"{"id":"o1","qty":2,"at":"2026-11-24T19:00:00.000Z","coupon":null}"#])
    #expect(first.rejected.map(\.description) == ["line 3, column 4: field qty: expected an int (32 bits)"])
    tracker.markConsumed(first.identity)
    #expect(try source.read("data/orders/b.csv", skipping: tracker) == nil)
    // The tracker survives a checkpoint's round trip, and a rewritten file reads again.
    tracker = try FileTracker.decoded(try tracker.encoded())
    #expect(try source.read("data/orders/b.csv", skipping: tracker) == nil)
    try Self.write("id,qty,at\no9,9,0\n", "data/orders/b.csv", in: root)
    #expect(try source.read("data/orders/b.csv", skipping: tracker).map { Self.rows($0, schema: schema).count } == 1)
    #expect(throws: FormatError.self) { try source.read("data/orders/gone.csv", skipping: tracker) }
  }

  @Test func readsEveryFormatTheSinkWrites() throws {
    let root = try Fixtures.makeTemporaryDirectory("file-formats")
    defer { try? FileManager.default.removeItem(at: root) }
    let schema = try Self.schema()
    let records = try #require(RecordSchema(avro: schema))
    let reader = try CSVBatchReader(
      bytes: Array("id,qty,at,coupon\no1,1,0,\no2,2,86400000,\"\"\no3,3,2026-11-24T01:00:00Z,X\n".utf8), schema: records
    )
    let (batch, _) = try #require(reader.nextBatch())
    for format in FileFormat.allCases {
      let sink = try FileSink(
        directory: root.appendingPathComponent("out/\(format)"), format: format, schema: schema,
        partitioning: FileSink.Partitioning(field: 2, name: "at", transform: .day))
      try sink.write(batch, checkpoint: 7)
      let staged = try sink.prepare()
      #expect(
        staged.map(\.final)
          == [
            "day=1970-01-01/part-00000000000000000007-00000.\(format)",
            "day=1970-01-02/part-00000000000000000007-00001.\(format)",
            "day=2026-11-24/part-00000000000000000007-00002.\(format)",
          ].sorted())
      let source = try FileSource(
        root: root, glob: PathGlob("out/\(format)/**/*.\(format)"), format: format, schema: schema)
      #expect(source.matchingFiles().isEmpty, "nothing is visible before the commit")
      try sink.commit(staged)
      try sink.commit(staged)
      let files = source.matchingFiles()
      #expect(files.count == 3, "\(format)")
      var rows: [String] = []
      for file in files {
        rows += Self.rows(try #require(try source.read(file, skipping: FileTracker())), schema: schema)
      }
      #expect(
        rows == [
          #"{"id":"o1","qty":1,"at":"1970-01-01T00:00:00.000Z","coupon":null}"#,
          #"{"id":"o2","qty":2,"at":"1970-01-02T00:00:00.000Z","coupon":""}"#,
          #"{"id":"o3","qty":3,"at":"2026-11-24T01:00:00.000Z","coupon":"X"}"#,
        ], "\(format)")
    }
  }

  @Test func aReplayReplacesItsFilesAndDiscardingLeavesNothing() throws {
    let root = try Fixtures.makeTemporaryDirectory("file-sink")
    defer { try? FileManager.default.removeItem(at: root) }
    let schema = try Self.schema()
    let records = try #require(RecordSchema(avro: schema))
    let reader = try CSVBatchReader(bytes: Array("id,qty,at\no1,1,0\n".utf8), schema: records)
    let (batch, _) = try #require(reader.nextBatch())
    let port = root.appendingPathComponent("out")
    for _ in 0..<2 {
      let sink = try FileSink(directory: port, format: .jsonl, schema: schema)
      try sink.write(batch, checkpoint: 1)
      try sink.commit(try sink.prepare())
    }
    let abandoned = try FileSink(directory: port, format: .jsonl, schema: schema)
    try abandoned.write(batch, checkpoint: 2)
    abandoned.discardStaged()
    let names = try FileManager.default.contentsOfDirectory(atPath: port.path).sorted()
    #expect(names == ["part-00000000000000000001-00000.jsonl"])
  }

  /// Text files read in small pieces give the records and the rejected lines' places
  /// that reading them whole gives: pieces end at records, quoted line breaks included.
  @Test func textFilesReadInPiecesAsWhole() throws {
    let root = try Fixtures.makeTemporaryDirectory("file-pieces")
    defer { try? FileManager.default.removeItem(at: root) }
    var csv = "id,qty,at,coupon\n"
    var jsonl = ""
    for index in 0..<200 {
      let coupon = index % 7 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : "c\(index)"
      let qty = index % 11 == 0 ? "x" : "\(index)"
      csv += "o\(index),\(qty),\(index * 1000),\(coupon)\n"
      jsonl += #"{"id": "o\#(index)", "qty": \#(index % 13 == 0 ? "\"y\"" : "\(index)"), "at": \#(index)}"# + "\n"
    }
    try Self.write(csv, "in/orders.csv", in: root)
    try Self.write(jsonl, "in/orders.jsonl", in: root)
    let schema = try Self.schema()
    for (format, file) in [(FileFormat.csv, "in/orders.csv"), (.jsonl, "in/orders.jsonl")] {
      var whole = try FileSource(root: root, glob: PathGlob("in/*"), format: format, schema: schema)
      let expected = try #require(try whole.read(file, skipping: FileTracker()))
      whole.pieceBytes = 37
      let pieces = try #require(try whole.read(file, skipping: FileTracker()))
      #expect(Self.rows(pieces, schema: schema) == Self.rows(expected, schema: schema), "\(format)")
      #expect(pieces.rejected.map(\.description) == expected.rejected.map(\.description), "\(format)")
      #expect(pieces.rejected.count == (format == .csv ? 19 : 16))
      #expect(pieces.batches.reduce(0) { $0 + $1.count } + pieces.rejected.count == 200)
    }
  }
}
