import MeshData
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

@Suite struct JSONLinesBatchReaderTests {
  static func read(_ text: String, schema: Schema) throws -> (records: [[UInt8]], rejected: [RejectedRecord]) {
    let records = try #require(RecordSchema(avro: schema))
    let reader = JSONLinesBatchReader(bytes: Array(text.utf8), schema: records, avro: schema, batchSize: 100)
    var read: [[UInt8]] = []
    var rejected: [RejectedRecord] = []
    while let (batch, problems) = reader.nextBatch() {
      read += try RandomRecords.records(of: batch, schema: schema)
      rejected += problems
    }
    return (read, rejected)
  }

  /// What `meshc cat` prints reads back to the same records: every type, nulls, nesting,
  /// unions, in batches of 100.
  @Test func whatBatchJSONWritesReadsBack() throws {
    let schema = try parseSchema(TestSchemas.everyType)
    var random = RandomRecords(schema: schema)
    print("JSONLinesBatchReaderTests: seed \(random.values.random.seed)")
    let records = try random.records(1_000)
    var text: [UInt8] = []
    BatchJSON(avro: schema).append(try RandomRecords.batch(records, schema: schema), to: &text)
    let (read, rejected) = try Self.read(String(decoding: text, as: UTF8.self), schema: schema)
    #expect(rejected.map(\.description) == [])
    #expect(read.count == records.count)
    for (index, (got, wanted)) in zip(read, records).enumerated() where got != wanted {
      Issue.record("record \(index) differs, seed \(random.values.random.seed)")
      break
    }
  }

  static let orders = """
    {"type": "record", "name": "Order", "fields": [
      {"name": "id", "type": "string"},
      {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}},
      {"name": "coupon", "type": ["null", "string"], "default": null},
      {"name": "items", "type": {"type": "array", "items": "int"}}
    ]}
    """

  @Test func acceptsHandWrittenFormsAndRejectsWhatDoesNotFit() throws {
    let schema = try parseSchema(Self.orders)
    let text = """
      {"id": "o1", "amount": 12.5, "at": "2026-11-24T19:00:00.123456+01:00", "items": [1, 2], "extra": {"x": 1}}
      {"id": "o2", "amount": "3", "at": 1700000000000000, "coupon": null, "items": []}

      {"id": "o3", "amount": "1.234", "at": "2026-11-24T19:00:00Z", "items": []}
      {"id": "o4", "amount": "1", "at": "2026-11-24T19:00:00", "items": []}
      {"id": 5, "amount": "1", "at": 0, "items": []}
      {"id": "o6", "amount": "1", "at": 0}
      {"id": "o7", "amount": "1", "at": 0, "items": [1, "two"]}
      {"id": "o8", "amount": "1", "at": 0, "items": [], "id": "again"}
      {"id": "o9", "amount": "1", "at": 0, "items": [] oops
      [1]
      """
    let (read, rejected) = try Self.read(text, schema: schema)
    #expect(read.count == 2)
    #expect(
      rejected.map(\.description) == [
        "line 4, column 24: field amount: expected a decimal with at most 9 digits, 2 after the point",
        "line 5, column 35: field at: the timestamp has no zone: add Z for UTC or an offset such as +01:00",
        "line 6, column 8: field id: expected string",
        "line 7, column 36: field items: the field is missing",
        "line 8, column 51: field items: expected an int (32 bits)",
        "line 9, column 51: field id: the field appears twice",
        "line 10, column 50: not JSON: expected ',' or '}' after a member, found 'o'",
        "line 11, column 1: expected an object",
      ])
    #expect(
      rejected.first?.text == Array(#"{"id": "o3", "amount": "1.234", "at": "2026-11-24T19:00:00Z", "items": []}"#.utf8)
    )
  }
}
