import MeshData
import MeshRuntime
import Testing

/// A step's schema as Avro, so that operators keep rows of any step as bytes: every
/// column type comes back as it was, and rows survive encoding and decoding.
@Suite struct RecordSchemaAvroTests {
  @Test func everyColumnTypeComesBackAsItWas() throws {
    let inner = RecordSchema(
      name: "Inner",
      fields: [
        DataField(name: "n", type: .int64, nullable: false),
        DataField(name: "tag", type: .enumeration(name: "Tag", symbols: ["a", "b"]), nullable: true),
      ])
    let schema = RecordSchema(
      name: "joined",
      fields: [
        DataField(name: "flag", type: .boolean, nullable: false),
        DataField(name: "small", type: .int32, nullable: true),
        DataField(name: "ratio", type: .float32, nullable: false),
        DataField(name: "amount", type: .float64, nullable: true),
        DataField(name: "price", type: .decimal(precision: 12, scale: 2), nullable: false),
        DataField(name: "name", type: .string, nullable: false),
        DataField(name: "blob", type: .bytes, nullable: true),
        DataField(name: "hash", type: .fixed(size: 16), nullable: false),
        DataField(name: "id", type: .uuid, nullable: false),
        DataField(name: "day", type: .date, nullable: false),
        DataField(name: "at", type: .time(.micros), nullable: false),
        DataField(name: "placed_at", type: .timestamp(.millis, utc: true), nullable: false),
        DataField(name: "local", type: .timestamp(.nanos, utc: false), nullable: true),
        DataField(name: "inner", type: .record(inner), nullable: true),
        DataField(name: "again", type: .enumeration(name: "Tag", symbols: ["a", "b"]), nullable: false),
        DataField(name: "list", type: .array(element: .string, elementNullable: true), nullable: false),
        DataField(name: "map", type: .map(value: .record(inner), valueNullable: false), nullable: false),
      ])
    let avro = try #require(schema.avroSchema)
    let back = try #require(RecordSchema(avro: avro))
    for (got, want) in zip(back.fields, schema.fields) { #expect(got == want) }
    #expect(back.fields.count == schema.fields.count)
  }

  @Test func rowsSurviveEncodingAndDecoding() throws {
    let schema = RecordSchema(
      name: "orders",
      fields: [
        DataField(name: "order_id", type: .string, nullable: false),
        DataField(name: "qty", type: .int32, nullable: true),
        DataField(name: "placed_at", type: .timestamp(.millis, utc: true), nullable: false),
      ])
    let batch = TestBatches.batch(
      [[.string("o1"), .integer(3), .integer(1_000)], [.string("o2"), .null, .integer(2_000)]], schema: schema)
    let avro = try #require(schema.avroSchema)
    let encoder = try #require(BatchEncoder(avro))
    let decoder = try #require(BatchDecoder(avro))
    try encoder.encode(batch) { _, bytes in try decoder.append(bytes) }
    let decoded = decoder.finish()
    #expect(decoded.rowCount == 2)
    #expect(decoded.columns[0].string(1) == "o2")
    #expect(decoded.columns[1].isNull(1) && !decoded.columns[1].isNull(0))
    if case .int64(let times) = decoded.columns[2].values { #expect(times == [1_000, 2_000]) }
  }
}
