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
    try ParquetWriter(schema: schema, options: options).file(of: batches)
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

  /// Truncated, bit-flipped and overwritten files are errors, never crashes or hangs.
  /// Pages are written without checksums, so that damage reaches the decoders.
  @Test func damagedFilesAreErrors() throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    print("ParquetRoundTripTests.damagedFilesAreErrors: seed \(random.values.random.seed)")
    let batch = try RandomRecords.batch(try random.records(300), schema: schema)
    var errors = 0
    var reads = 0
    for (codec, version) in [(Codec.none, ParquetWriteOptions.PageVersion.v1), (.snappy, .v2), (.zstd, .v1)] {
      var options = Self.small
      options.codec = codec
      options.pageVersion = version
      options.pageChecksums = false
      let file = try Self.write([batch], schema: schema, options: options)
      for round in 0..<200 {
        var damaged = file
        let position = { Int(random.values.random.next() % UInt64(damaged.count)) }
        switch round % 4 {
        case 0: damaged.removeLast(position() + 1)
        case 1:
          // Inside the pages, where the footer still describes them.
          for _ in 0...(round % 5) { damaged[4 + position() % (damaged.count / 2)] ^= UInt8(1 << (round % 8)) }
        case 2:
          for _ in 0...(round % 3) { damaged[position()] ^= UInt8(1 << (round % 8)) }
        default:
          let start = 4 + position() % (damaged.count / 2)
          for index in start..<min(damaged.count - 8, start + 64) {
            damaged[index] = UInt8(truncatingIfNeeded: random.values.random.next())
          }
        }
        do {
          _ = try Self.readRecords(damaged)
          reads += 1
        } catch is FormatError {
          errors += 1
        }
      }
    }
    print("ParquetRoundTripTests.damagedFilesAreErrors: \(errors) errors, \(reads) read")
    #expect(errors > 300)
  }
}
