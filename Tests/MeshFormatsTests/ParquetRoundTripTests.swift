import Foundation
import MeshData
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

@Suite struct ParquetRoundTripTests {
  static func write(
    _ batches: [RecordBatch], schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()
  ) throws -> [UInt8] {
    let writer = try ParquetWriter(schema: schema, options: options)
    var file = writer.takeOutput()
    for batch in batches {
      try writer.write(batch)
      file += writer.takeOutput()
    }
    try writer.finish()
    return file + writer.takeOutput()
  }

  /// The records of a file as Avro binary in the reader's schema, and its row groups.
  static func readRecords(_ file: [UInt8], columns: [String]? = nil) throws -> (records: [[UInt8]], rowGroups: Int) {
    let reader = try ParquetReader(source: ParquetBytes(file), columns: columns)
    var records: [[UInt8]] = []
    while let batch = try reader.nextBatch() {
      records += try RandomRecords.records(of: batch, schema: reader.avroSchema)
    }
    return (records, reader.metadata.rowGroups.count)
  }

  static let small = ParquetWriteOptions(pageBytes: 2_000, rowGroupBytes: 20_000)

  @Test(arguments: [Codec.none, .snappy, .gzip, .zstd, .lz4Raw], [ParquetWriteOptions.PageVersion.v1, .v2])
  func everyTypeRoundTrips(codec: Codec, version: ParquetWriteOptions.PageVersion) throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    let records = try random.records(3_000)
    let batches = try stride(from: 0, to: records.count, by: 700).map { start in
      try RandomRecords.batch(Array(records[start..<min(records.count, start + 700)]), schema: schema)
    }
    var options = Self.small
    options.codec = codec
    options.pageVersion = version
    let file = try Self.write(batches, schema: schema, options: options)
    let (read, rowGroups) = try Self.readRecords(file)
    #expect(rowGroups > 1)
    #expect(read == records, "seed \(random.values.random.seed)")
  }

  @Test func plainAndDictionaryFallbackRoundTrip() throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    let records = try random.records(2_000)
    let batch = try RandomRecords.batch(records, schema: schema)
    for options in [
      ParquetWriteOptions(dictionary: false), ParquetWriteOptions(dictionaryBytes: 64, pageBytes: 512),
    ] {
      let file = try Self.write([batch], schema: schema, options: options)
      #expect(try Self.readRecords(file).records == records, "seed \(random.values.random.seed)")
    }
  }
}
