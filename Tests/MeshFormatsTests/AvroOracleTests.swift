import Foundation
import MeshData
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

/// fastavro, an independent implementation, reads every container meshc writes and
/// writes every codec back for meshc to read: the records must be the same both ways.
@Suite(.enabled(if: Oracle.available, Oracle.skipped)) struct AvroOracleTests {
  /// Reads argv[1] with fastavro and writes its records to argv[2] with the codec argv[3];
  /// prints how many records and the codec fastavro saw. Logical types stay their
  /// underlying values: Python's dates cannot hold every Avro date.
  static let rewrite = """
    import sys, fastavro, fastavro.read, fastavro.write
    fastavro.read.LOGICAL_READERS.clear()
    fastavro.write.LOGICAL_WRITERS.clear()
    with open(sys.argv[1], 'rb') as f:
        reader = fastavro.reader(f)
        schema, codec, records = reader.writer_schema, reader.codec, list(reader)
    with open(sys.argv[2], 'wb') as f:
        fastavro.writer(f, fastavro.parse_schema(schema), records, codec=sys.argv[3], sync_interval=2000)
    print(len(records), codec)
    """

  @Test(arguments: ["null", "deflate", "snappy", "zstandard"]) func fastavroAgrees(codecName: String) throws {
    let codec = try #require(AvroContainer.codecs[codecName])
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    print("AvroOracleTests(\(codecName)): seed \(random.values.random.seed)")
    let records = try random.records(1_500)
    let file = try AvroContainerTests.write(
      [try RandomRecords.batch(records, schema: schema)], schema: schema, codec: codec)
    let directory = try Fixtures.makeTemporaryDirectory("avro-oracle")
    defer { try? FileManager.default.removeItem(at: directory) }
    let ours = directory.appendingPathComponent("meshc.avro")
    let theirs = directory.appendingPathComponent("fastavro.avro")
    try Data(file).write(to: ours)
    let said = try Oracle.run(Self.rewrite, [ours.path, theirs.path, codecName])
    #expect(said.trimmingCharacters(in: .whitespacesAndNewlines) == "\(records.count) \(codecName)")
    let (read, blocks) = try AvroContainerTests.readRecords(Array(try Data(contentsOf: theirs)))
    #expect(blocks > 1)
    #expect(read == records, "seed \(random.values.random.seed)")
  }
}
