import MeshBytes
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

func parseSchema(_ text: String) throws -> Schema {
  try #require(Schema.parse(SourceFile(path: "test.avsc", text: text)).schema)
}

/// Records of a schema as Avro binary, and the batch they decode to.
struct RandomRecords {
  let schema: Schema
  var values: RandomAvroValues

  init(schema: Schema, seed: UInt64? = nil) {
    self.schema = schema
    values = RandomAvroValues(schema: schema, random: SeededRandom(seed: seed))
  }

  mutating func records(_ count: Int) throws -> [[UInt8]] {
    let avro = AvroBinary(schema)
    return try (0..<count).map { _ in try avro.encode(values.value(schema.root)) }
  }

  static func batch(_ records: [[UInt8]], schema: Schema) throws -> RecordBatch {
    let decoder = try #require(BatchDecoder(schema))
    for record in records { try decoder.append(record) }
    return decoder.finish()
  }

  static func records(of batch: RecordBatch, schema: Schema) throws -> [[UInt8]] {
    let encoder = try #require(BatchEncoder(schema))
    var records: [[UInt8]] = []
    try encoder.encode(batch) { _, bytes in records.append(bytes) }
    return records
  }
}

@Suite struct AvroContainerTests {
  static func write(_ batches: [RecordBatch], schema: Schema, codec: Codec, blockBytes: Int = 4096) throws -> [UInt8] {
    try AvroContainerWriter(schema: schema, codec: codec, blockBytes: blockBytes).file(of: batches)
  }

  static func readRecords(_ file: [UInt8], as reader: Schema? = nil) throws -> (records: [[UInt8]], blocks: Int) {
    let container = try AvroContainerReader(bytes: file, readerSchema: reader)
    var records: [[UInt8]] = []
    while let batch = try container.nextBatch() {
      records += try RandomRecords.records(of: batch, schema: container.readerSchema)
    }
    return (records, container.blockIndex)
  }

  @Test(arguments: ["null", "deflate", "snappy", "zstandard"]) func everyTypeRoundTrips(codecName: String) throws {
    let codec = try #require(AvroContainer.codecs[codecName])
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    print("AvroContainerTests(\(codecName)): seed \(random.values.random.seed)")
    let records = try random.records(2_000)
    let batches = try stride(from: 0, to: records.count, by: 700).map {
      try RandomRecords.batch(Array(records[$0..<min($0 + 700, records.count)]), schema: schema)
    }
    let file = try Self.write(batches, schema: schema, codec: codec)
    let (read, blocks) = try Self.readRecords(file)
    #expect(read == records, "seed \(random.values.random.seed)")
    #expect(blocks > 1)
    let container = try AvroContainerReader(bytes: file)
    #expect(container.codec == codec)
    #expect(container.writerSchema.canonicalForm == schema.canonicalForm)
  }

  /// A file handed over in pieces of any size reads as the whole file does, damaged
  /// files included: the reader holds only what the block being read needs.
  @Test func aFileInPiecesReadsAsTheWholeFile() throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    let records = try random.records(600)
    let file = try Self.write([try RandomRecords.batch(records, schema: schema)], schema: schema, codec: .snappy)
    for round in 0..<60 {
      var damaged = file
      if round % 3 == 2 { damaged.removeLast(Int(random.values.random.next() % UInt64(damaged.count / 2)) + 1) }
      var rest = damaged[...]
      let size = [1, 7, 64, 1000, 1 << 20][round % 5]
      let reader: AvroContainerReader
      do {
        reader = try AvroContainerReader(pieces: { () throws(FormatError) in
          guard !rest.isEmpty else { return nil }
          defer { rest = rest.dropFirst(size) }
          return Array(rest.prefix(size))
        })
      } catch {
        #expect(throws: FormatError.self) { try Self.readRecords(damaged) }
        continue
      }
      var read: [[UInt8]] = []
      var failure: FormatError?
      do {
        while let batch = try reader.nextBatch() { read += try RandomRecords.records(of: batch, schema: schema) }
      } catch let error as FormatError {
        failure = error
      }
      if round % 3 == 2 {
        // Cut at a block's end, a file is shorter but whole: fewer records, no error.
        #expect(failure != nil || read.count < records.count, "round \(round)")
      } else {
        #expect(failure == nil, "\(failure.map(\.message) ?? "")")
        #expect(read == records, "pieces of \(size)")
      }
    }
  }

  @Test func theSameRecordsGiveTheSameBytes() throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema, seed: 3)
    let batch = try RandomRecords.batch(try random.records(50), schema: schema)
    #expect(try Self.write([batch], schema: schema, codec: .zstd) == Self.write([batch], schema: schema, codec: .zstd))
  }

  @Test func recordsResolveToTheReadersSchema() throws {
    let writer = try parseSchema(
      """
      {"type": "record", "name": "Order", "fields": [
        {"name": "id", "type": "string"}, {"name": "qty", "type": "int"}, {"name": "dropped", "type": "string"}]}
      """)
    let reader = try parseSchema(
      """
      {"type": "record", "name": "Order", "fields": [
        {"name": "id", "type": "string"}, {"name": "qty", "type": "long"},
        {"name": "channel", "type": "string", "default": "web"}]}
      """)
    let avro = AvroBinary(writer)
    let records = try (0..<10).map {
      try avro.encode(.record([.string("o\($0)"), .int(Int32($0)), .string("x")]))
    }
    let file = try Self.write([try RandomRecords.batch(records, schema: writer)], schema: writer, codec: .deflate)
    let (read, _) = try Self.readRecords(file, as: reader)
    let expected = try (0..<10).map {
      try AvroBinary(reader).encode(.record([.string("o\($0)"), .long(Int64($0)), .string("web")]))
    }
    #expect(read == expected)
  }

  /// Truncated, bit-flipped and random files give errors or records, never a crash or a hang.
  @Test func damagedFilesAreErrors() throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    print("AvroContainerTests.damagedFilesAreErrors: seed \(random.values.random.seed)")
    let batch = try RandomRecords.batch(try random.records(300), schema: schema)
    var errors = 0
    for codec in [Codec.none, .snappy, .deflate, .zstd] {
      let file = try Self.write([batch], schema: schema, codec: codec, blockBytes: 2048)
      for round in 0..<150 {
        var damaged = file
        switch round % 3 {
        case 0: damaged.removeLast(Int(random.values.random.next() % UInt64(damaged.count - 1)) + 1)
        case 1:
          for _ in 0...(round % 4) {
            damaged[Int(random.values.random.next() % UInt64(damaged.count))] ^= UInt8(1 << (round % 8))
          }
        default:
          damaged =
            Array(file.prefix(Int(random.values.random.next() % 400)))
            + (0..<Int(random.values.random.next() % 2000)).map { _ in
              UInt8(truncatingIfNeeded: random.values.random.next())
            }
        }
        do {
          _ = try Self.readRecords(damaged)
        } catch is FormatError {
          errors += 1
        }
      }
    }
    #expect(errors > 300)
  }

  @Test func unknownCodecsAndForeignFilesAreNamed() throws {
    #expect(throws: FormatError("not an Avro container file (it does not start with Obj\\x01)")) {
      try AvroContainerReader(bytes: Array("PAR1".utf8) + [UInt8](repeating: 0, count: 30))
    }
    let schema = try parseSchema(#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}"#)
    var file = try Self.write([], schema: schema, codec: .none)
    let codec = Array("avro.codec".utf8)
    let at = try #require((0..<file.count).first { file[$0...].starts(with: codec) })
    // "null" (4 bytes, length 8 as a zig-zag varint) becomes "brot".
    file.replaceSubrange((at + codec.count + 1)..<(at + codec.count + 5), with: Array("brot".utf8))
    #expect(throws: FormatError("the Avro container uses the codec 'brot', which meshc does not read")) {
      try AvroContainerReader(bytes: file)
    }
  }
}
