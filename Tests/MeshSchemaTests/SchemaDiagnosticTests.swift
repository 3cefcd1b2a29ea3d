import MeshDiagnostics
import MeshSchema
import MeshTestSupport
import MeshYAML
import Testing

struct SchemaCase: CustomTestStringConvertible, Sendable {
  let code: DiagnosticCode
  let json: String
  var testDescription: String { "\(code.id) \(code.summary)" }
}

private func record(_ fields: String) -> String { #"{"type": "record", "name": "Order", "fields": [\#(fields)]}"# }

private let cases: [SchemaCase] = [
  SchemaCase(code: .schemaInvalidJSON, json: #"{"type": "record", 1️⃣}"#),
  SchemaCase(code: .schemaDuplicateKey, json: #"{"type": "int", 1️⃣"type": "long"}"#),
  SchemaCase(code: .schemaUnknownType, json: record(#"{"name": "id", "type": 1️⃣"strng"}"#)),
  SchemaCase(code: .schemaNestedUnion, json: record(#"{"name": "id", "type": ["null", 1️⃣["int"]]}"#)),
  SchemaCase(code: .schemaDuplicateUnionBranch, json: record(#"{"name": "id", "type": ["int", 1️⃣"int"]}"#)),
  SchemaCase(code: .schemaMissingAttribute, json: #"1️⃣{"type": "record", "name": "Order"}"#),
  SchemaCase(code: .schemaInvalidName, json: record(#"{"name": 1️⃣"order-id", "type": "string"}"#)),
  SchemaCase(
    code: .schemaDuplicateName,
    json: record(
      #"{"name": "a", "type": {"type": "fixed", "name": "Order", "size": 1}}"#
    ).replacingOccurrences(of: #""name": "Order", "size""#, with: #""name": 1️⃣"Order", "size""#)),
  SchemaCase(
    code: .schemaDuplicateField, json: record(#"{"name": "id", "type": "int"}, 1️⃣{"name": "id", "type": "long"}"#)),
  SchemaCase(code: .schemaInvalidDefault, json: record(#"{"name": "n", "type": ["null", "int"], "default": 1️⃣3}"#)),
  SchemaCase(
    code: .schemaInvalidSymbol, json: #"{"type": "enum", "name": "E", "symbols": ["A", 1️⃣"A"]}"#),
  SchemaCase(code: .schemaInvalidAttribute, json: #"{"type": "fixed", "name": "F", "size": 1️⃣-1}"#),
  SchemaCase(
    code: .schemaInvalidLogicalType, json: #"{"type": "int", "logicalType": 1️⃣"timestamp-millis"}"#),
]

@Test(arguments: cases)
func everySchemaCodePointsAtTheMistake(_ testCase: SchemaCase) {
  let marked = MarkedSource(testCase.json)
  let (_, diagnostics) = Schema.parse(marked.sourceFile(path: "order.avsc"))
  let found = diagnostics.all.filter { $0.code == testCase.code }
  #expect(found.count == 1, "\(diagnostics.all.map { "\($0.code.id) \($0.message)" })")
  #expect(found.first?.range?.file == "order.avsc")
  #expect(found.first?.range?.start == marked["1️⃣"])
}

@Test func deepNestingIsADiagnosticNotACrash() {
  let deep =
    String(repeating: #"{"type": "array", "items": "#, count: 10_000) + #""int""#
    + String(repeating: "}", count: 10_000)
  let (schema, diagnostics) = Schema.parse(SourceFile(path: "deep.avsc", text: deep))
  #expect(schema == nil)
  #expect(diagnostics.all.map(\.code) == [.schemaTooDeep])
  let unions = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
  #expect(Schema.parse(SourceFile(path: "u.avsc", text: unions)).diagnostics.hasErrors)
}

@Test func inlineYAMLSchemasParseToTheSameModel() throws {
  let yaml = """
    type: record
    name: Order
    namespace: shop
    fields:
      - {name: id, type: string}
      - {name: amount, type: double, default: 0}
      - {name: email, type: string, pii: true, classification: confidential}
      - {name: tags, type: {type: array, items: string}, default: []}
    """
  let root = try #require(parseYAML(SourceFile(path: "p.yaml", text: yaml)).documents.first?.root)
  var diagnostics = Diagnostics()
  let value = try #require(SourceValue.from(root, diagnostics: &diagnostics))
  let fromYAML = try #require(Schema.parse(value).schema)
  let json = #"""
    {"type": "record", "name": "Order", "namespace": "shop", "fields": [{"name": "id", "type": "string"},
     {"name": "amount", "type": "double", "default": 0}, {"name": "email", "type": "string"},
     {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []}]}
    """#
  let fromJSON = try #require(Schema.parse(SourceFile(path: "o.avsc", text: json)).schema)
  #expect(fromYAML.canonicalForm == fromJSON.canonicalForm)
  guard case .record(let order)? = fromYAML.definition("shop.Order") else {
    Issue.record("no record")
    return
  }
  #expect(order.fields[2].pii)
  #expect(order.fields[2].classification == "confidential")
  #expect(order.fields[0].range.file == "p.yaml")
}

@Test func recursiveRecordsParseAndCompare() throws {
  let list =
    #"{"type": "record", "name": "Node", "fields": [{"name": "value", "type": "int"}, {"name": "next", "type": ["null", "Node"]}]}"#
  let schema = try #require(Schema.parse(SourceFile(path: "n.avsc", text: list)).schema)
  #expect(schema.canonicalForm.contains(#"["null","Node"]"#))
  #expect(CompatibilityChecker.problems(reader: schema, writer: schema).isEmpty)
}

@Test func logicalTypesAttachOrFallBack() throws {
  let text = #"""
    {"type": "record", "name": "R", "fields": [
      {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}},
      {"name": "bad", "type": {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 6}},
      {"name": "id", "type": {"type": "fixed", "name": "Id", "size": 16, "logicalType": "uuid"}}]}
    """#
  let (schema, diagnostics) = Schema.parse(SourceFile(path: "r.avsc", text: text))
  guard case .record(let record)? = schema?.definition("R") else {
    Issue.record("no record")
    return
  }
  #expect(record.fields[0].type == .primitive(.bytes, logical: .decimal(precision: 9, scale: 2)))
  #expect(record.fields[1].type == .primitive(.long, logical: .timestampMicros))
  #expect(record.fields[2].type == .primitive(.bytes, logical: nil))
  #expect(diagnostics.all.map(\.code) == [.schemaInvalidLogicalType])
}
