import MeshDiagnostics
import MeshSchema
import Testing

@Suite struct SchemaJSONTextTests {
  static let everything = """
    {"type": "record", "name": "shop.Order", "doc": "An order", "aliases": ["Purchase"], "fields": [
      {"name": "id", "type": {"type": "string", "logicalType": "uuid"}, "doc": "key"},
      {"name": "placed", "type": {"type": "long", "logicalType": "timestamp-micros"}},
      {"name": "day", "type": {"type": "int", "logicalType": "date"}, "default": 0},
      {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
      {"name": "email", "type": ["null", "string"], "default": null, "pii": true, "classification": "contact"},
      {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"], "default": "NEW"}},
      {"name": "previous", "type": ["null", "Status"], "default": null, "order": "descending"},
      {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
      {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
        {"name": "sku", "type": "string"}, {"name": "next", "type": ["null", "Line"], "default": null}]}}},
      {"name": "tags", "type": {"type": "map", "values": "double"}, "default": {"a": 1.5}}
    ]}
    """

  static func parse(_ text: String) throws -> Schema {
    let (schema, diagnostics) = Schema.parse(SourceFile(path: "order.avsc", text: text))
    #expect(diagnostics.all.isEmpty, "\(diagnostics.all)")
    return try #require(schema)
  }

  @Test func theTextReadsBackAsTheSameSchema() throws {
    let schema = try Self.parse(Self.everything)
    let text = schema.jsonText
    let again = try Self.parse(text)
    #expect(again.canonicalForm == schema.canonicalForm)
    #expect(again.jsonText == text)
    for needle in [
      #""logicalType":"uuid""#, #""precision":10"#, #""pii":true"#, #""classification":"contact""#,
      #""order":"descending""#, #""default":{"a":1.5}"#, #""aliases":["shop.Purchase"]"#, #""doc":"An order""#,
      #"["null","shop.Status"]"#, #"["null","shop.Line"]"#,
    ] {
      #expect(text.contains(needle), "\(needle) in \(text)")
    }
  }
}
