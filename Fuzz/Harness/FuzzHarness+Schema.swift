import MeshDiagnostics
import MeshSchema

extension FuzzHarness {
  /// Schema JSON: parse; whatever parses has a canonical form and a fingerprint, and is
  /// compatible with itself under every mode. (Its canonical form need not parse back:
  /// Avro's form writes a fixed type in full at each use and drops the null namespace of
  /// a type nested in a namespaced one, as the reference implementations do.)
  @Sendable public static func schemaJSON(_ bytes: [UInt8]) {
    guard let schema = Schema.parse(SourceFile(path: "fuzz.avsc", bytes: bytes)).schema else { return }
    let canonical = schema.canonicalForm
    _ = schema.fingerprint
    _ = Schema.parse(SourceFile(path: "canonical.avsc", text: canonical))
    if !CompatibilityChecker.check(new: schema, earlier: [schema], mode: .fullTransitive).isEmpty {
      violated("a schema is incompatible with itself: \(canonical)")
    }
  }

  /// The schemas `avroBinary` decodes against: a recursive list, nested containers and
  /// unions, and the logical types.
  static let avroSchemas: [Schema] = [
    #"{"type": "record", "name": "Node", "fields": [{"name": "value", "type": "long"}, {"name": "next", "type": ["null", "Node"]}]}"#,
    #"""
    {"type": "record", "name": "Order", "namespace": "fuzz", "fields": [
      {"name": "id", "type": "string"},
      {"name": "lines", "type": {"type": "array", "items": {"type": "map", "values": ["null", "string", "double", "bytes", "boolean"]}}},
      {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["placed", "paid", "shipped"]}},
      {"name": "tag", "type": {"type": "fixed", "name": "Tag", "size": 4}},
      {"name": "customer", "type": ["null", {"type": "record", "name": "Customer", "fields": [
        {"name": "name", "type": "string"}, {"name": "score", "type": "float"}, {"name": "n", "type": "int"}]}]}
    ]}
    """#,
    #"""
    {"type": "record", "name": "Logical", "fields": [
      {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
      {"name": "fixedAmount", "type": {"type": "fixed", "name": "D", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 4}},
      {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
      {"name": "day", "type": {"type": "int", "logicalType": "date"}},
      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "time", "type": {"type": "long", "logicalType": "time-micros"}},
      {"name": "span", "type": {"type": "fixed", "name": "Span", "size": 12, "logicalType": "duration"}}
    ]}
    """#,
    #"{"type": "array", "items": {"type": "array", "items": ["null", "int", "string", {"type": "map", "values": "long"}]}}"#,
  ].compactMap { Schema.parse(SourceFile(path: "fuzz.avsc", text: $0)).schema }

  /// Avro binary: the first byte picks a schema, the rest is decoded against it. What
  /// decodes re-encodes to bytes that decode and encode to the same bytes again, prints
  /// as JSON, and resolves against the same schema.
  @Sendable public static func avroBinary(_ bytes: [UInt8]) {
    guard let selector = bytes.first, !avroSchemas.isEmpty else { return }
    let schema = avroSchemas[Int(selector) % avroSchemas.count]
    let codec = AvroBinary(schema)
    guard let value = try? codec.decode(Array(bytes.dropFirst())) else { return }
    guard let encoded = try? codec.encode(value) else { violated("a decoded value does not encode") }
    guard let again = try? codec.decode(encoded), let reencoded = try? codec.encode(again), reencoded == encoded else {
      violated("a value does not survive encode and decode")
    }
    _ = AvroJSON(schema).text(value)
    _ = AvroJSON(schema, plainUnions: true).text(value)
    _ = try? AvroResolver(writer: schema, reader: schema).decode(encoded)
  }
}
