import MeshBytes
import MeshData
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

/// The JSON mapping of docs/formats.md, value by value.
@Suite struct BatchJSONTests {
  @Test func everyKindOfValuePrintsInTheDocumentedForm() throws {
    let schema = try parseSchema(
      """
      {"type": "record", "name": "R", "fields": [
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "local", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "clock", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
        {"name": "raw", "type": "bytes"},
        {"name": "ratio", "type": "double"},
        {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"]}},
        {"name": "maybe", "type": ["null", "string"]},
        {"name": "either", "type": ["int", "string"]},
        {"name": "tags", "type": {"type": "map", "values": {"type": "array", "items": "long"}}}
      ]}
      """)
    let value = AvroValue.record([
      .long(1_764_010_800_123_456), .long(-1), .int(-1), .int(45_296_789), .bytes([0xFF, 0x85]),
      .bytes([0, 1, 2, 250]), .double(.nan), .enumeration(index: 1, symbol: "GREEN"), .union(branch: 0, value: .null),
      .union(branch: 1, value: .string("x\"y")),
      .map([.init(key: "a", value: .array([.long(1), .long(-2)]))]),
    ])
    let batch = try RandomRecords.batch([try AvroBinary(schema).encode(value)], schema: schema)
    var out: [UInt8] = []
    BatchJSON(avro: schema).append(batch, to: &out)
    #expect(
      String(decoding: out, as: UTF8.self)
        == #"{"ts":"2025-11-24T19:00:00.123456Z","local":"1969-12-31T23:59:59.999","day":"1969-12-31","clock":"12:34:56.789","price":"-1.23","raw":"AAEC+g==","ratio":"NaN","color":"GREEN","maybe":null,"either":{"string":"x\"y"},"tags":{"a":[1,-2]}}"#
        + "\n")
    var plain: [UInt8] = []
    BatchJSON(avro: nil).append(batch, to: &plain)
    #expect(String(decoding: plain, as: UTF8.self).contains(#""either":{"avro_base64":"AgZ4Ink="}"#))
  }
}
