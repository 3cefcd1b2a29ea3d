import Foundation
import MeshDiagnostics
import MeshSchema
import MeshTestSupport
import Testing

/// Binary encoding and resolution vectors from ../shared/conformance/avro.
@Suite(.enabled(if: Fixtures.conformanceAvailable, Fixtures.conformanceSkipped))
struct AvroValueConformanceTests {
  static func hex(_ text: String) -> [UInt8] {
    stride(from: 0, to: text.count, by: 2).compactMap { offset in
      let start = text.index(text.startIndex, offsetBy: offset)
      return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)
    }
  }

  static func equal(_ a: AvroValue, _ b: AvroValue) -> Bool {
    switch (a, b) {
    case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.float(let x), .float(let y)): return x == y || (x.isNaN && y.isNaN)
    default: return a == b
    }
  }

  /// The vectors read with meshc's own JSON reader, which keeps the order of map keys.
  @Test func binaryEncodingVectors() throws {
    let url = AvroConformanceTests.avro.appendingPathComponent("binary-encoding/vectors.json")
    let file = SourceFile(path: "vectors.json", bytes: [UInt8](try Data(contentsOf: url)))
    let vectors = try #require(JSONReader.read(file).value?.items)
    var checked = 0
    for vector in vectors {
      let name = vector["name"]?.string ?? "?"
      guard let hexText = vector["hex"]?.string else { continue }
      let parsed: Schema?
      let diagnostics: Diagnostics
      if let schemaValue = vector["schema"] {
        (parsed, diagnostics) = Schema.parse(schemaValue)
      } else {
        // `schema_ref` names a schema of Avro's share/test tree, kept under avro/schemas.
        let reference = URL(fileURLWithPath: vector["schema_ref"]?.string ?? "").lastPathComponent
        let url = AvroConformanceTests.avro.appendingPathComponent("schemas/\(reference)")
        (parsed, diagnostics) = Schema.parse(SourceFile(path: reference, bytes: [UInt8](try Data(contentsOf: url))))
      }
      guard let schema = parsed else {
        Issue.record("\(name): schema does not parse: \(diagnostics.all.map(\.message))")
        continue
      }
      let bytes = Self.hex(hexText)
      let codec = AvroBinary(schema)
      if case .bool(true)? = vector["expect_error"]?.content {
        #expect(throws: AvroValueError.self, "\(name)") { try codec.decode(bytes) }
        checked += 1
        continue
      }
      let expected = try AvroJSON(schema).value(try #require(vector["datum"]))
      #expect(try codec.encode(expected) == bytes, "\(name): encode")
      let decoded = try codec.decode(bytes)
      #expect(Self.equal(decoded, expected), "\(name): decoded \(decoded), expected \(expected)")
      checked += 1
    }
    print("avro binary encoding: \(checked) vectors checked")
    #expect(checked == 65)
  }

  @Test func resolutionCases() throws {
    let url = AvroConformanceTests.avro.appendingPathComponent("resolution/cases.json")
    let file = SourceFile(path: "cases.json", bytes: [UInt8](try Data(contentsOf: url)))
    let cases = try #require(JSONReader.read(file).value?.items)
    var checked = 0
    for testCase in cases {
      let name = testCase["name"]?.string ?? "?"
      guard let writer = testCase["writer"].flatMap({ Schema.parse($0).schema }),
        let reader = testCase["reader"].flatMap({ Schema.parse($0).schema }),
        let hexText = testCase["writer_hex"]?.string
      else {
        Issue.record("\(name): schemas do not parse")
        continue
      }
      let resolver = AvroResolver(writer: writer, reader: reader)
      if case .bool(true)? = testCase["expect_error"]?.content {
        #expect(throws: AvroValueError.self, "\(name)") { try resolver.decode(Self.hex(hexText)) }
      } else {
        let expected = try AvroJSON(reader).value(try #require(testCase["expected"]))
        let resolved = try resolver.decode(Self.hex(hexText))
        #expect(Self.equal(resolved, expected), "\(name): resolved \(resolved), expected \(expected)")
      }
      checked += 1
    }
    print("avro resolution: \(checked) cases checked")
    #expect(checked == 42)
  }

  @Test func damagedBytesNeverTrap() throws {
    let text =
      #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "array", "items": "string"}}, {"name": "m", "type": {"type": "map", "values": ["null", "long"]}}, {"name": "n", "type": {"type": "array", "items": "null"}}]}"#
    let schema = try #require(Schema.parse(SourceFile(path: "r.avsc", text: text)).schema)
    let codec = AvroBinary(schema)
    var random = SeededRandom()
    for _ in 0..<2000 {
      let bytes = (0..<Int.random(in: 0..<40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
      _ = try? codec.decode(bytes)
    }
    // A forged count of a billion nulls is refused rather than looped over.
    #expect(throws: AvroValueError.self) { try codec.decode([0, 0, 0x80, 0x94, 0xEB, 0xDC, 0x07, 0]) }
  }

  @Test func jsonRoundTrips() throws {
    let text =
      #"{"type": "record", "name": "R", "fields": [{"name": "u", "type": ["null", "string"]}, {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}}, {"name": "b", "type": "bytes"}]}"#
    let schema = try #require(Schema.parse(SourceFile(path: "r.avsc", text: text)).schema)
    let source = try #require(
      JSONReader.read(SourceFile(path: "v.json", text: #"{"u": {"string": "hi"}, "e": "B", "b": "\u00ff"}"#)).value)
    let value = try AvroJSON(schema).value(source)
    #expect(AvroJSON(schema).text(value) == #"{"u":{"string":"hi"},"e":"B","b":"ÿ"}"#)
    #expect(AvroJSON(schema, plainUnions: true).text(value) == #"{"u":"hi","e":"B","b":"ÿ"}"#)
    let plain = try #require(
      JSONReader.read(SourceFile(path: "v.json", text: #"{"u": "hi", "e": "A", "b": ""}"#)).value)
    #expect(throws: AvroValueError.self) { try AvroJSON(schema).value(plain) }
    #expect(
      try AvroBinary(schema).decode(AvroBinary(schema).encode(AvroJSON(schema, plainUnions: true).value(plain)))
        != .null)
  }
}
