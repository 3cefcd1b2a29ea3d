import Foundation
import MeshDiagnostics
import MeshSchema
import MeshTestSupport
import Testing

/// Apache Avro's own vectors from ../shared/conformance/avro.
@Suite(.enabled(if: Fixtures.conformanceAvailable, Fixtures.conformanceSkipped))
struct AvroConformanceTests {
  static let avro = Fixtures.conformanceRoot.appendingPathComponent("avro")

  static func json(_ path: String) -> [[String: Any]] {
    guard let data = FileManager.default.contents(atPath: avro.appendingPathComponent(path).path),
      let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else { return [] }
    return list
  }

  static func parse(_ text: String, path: String = "schema.avsc") -> (Schema?, Diagnostics) {
    Schema.parse(SourceFile(path: path, text: text))
  }

  @Test func canonicalFormsAndFingerprintsMatchTheSpecification() {
    var checked = 0
    for vector in Self.json("canonical-form/schema-tests.json") {
      guard let input = vector["input"] as? String, let canonical = vector["canonical"] as? String else { continue }
      let (schema, diagnostics) = Self.parse(input)
      #expect(schema?.canonicalForm == canonical, "\(input): \(diagnostics.all.map(\.message))")
      if let expected = vector["crc64_avro_int64"] as? NSNumber {
        #expect(schema.map { Int64(bitPattern: $0.fingerprint) } == expected.int64Value, "\(input)")
      }
      checked += 1
    }
    for file in ["canonical-form/python-canonical.json"] {
      for vector in Self.json(file) {
        guard let input = vector["input"] as? String, let canonical = vector["canonical"] as? String else { continue }
        #expect(Self.parse(input).0?.canonicalForm == canonical, "\(input)")
        checked += 1
      }
    }
    for vector in Self.json("canonical-form/python-fingerprints.json") {
      guard let input = vector["schema"] as? String, let expected = vector["crc64_avro_int64"] as? NSNumber else {
        continue
      }
      #expect(Self.parse(input).0.map { Int64(bitPattern: $0.fingerprint) } == expected.int64Value, "\(input)")
      checked += 1
    }
    print("avro canonical form and fingerprints: \(checked) vectors checked")
    #expect(checked >= 90)
  }

  @Test func schemaParseSuiteAcceptsAndRejects() throws {
    var checked = 0
    for verdict in ["pass", "fail"] {
      let directory = Self.avro.appendingPathComponent("schema-parse/c-schema-tests/\(verdict)")
      for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let (schema, diagnostics) = Self.parse(text, path: name)
        if verdict == "pass" {
          #expect(schema != nil, "\(name) must parse: \(diagnostics.all.map(\.message))")
        } else {
          #expect(schema == nil && diagnostics.hasErrors, "\(name) must be rejected")
        }
        checked += 1
      }
    }
    for example in Self.json("schema-parse/python-examples.json") {
      guard let text = example["schema_text"] as? String, let valid = example["valid"] as? Bool else { continue }
      let (schema, diagnostics) = Self.parse(text)
      #expect((schema != nil) == valid, "\(text.prefix(200)) valid=\(valid): \(diagnostics.all.map(\.message))")
      checked += 1
    }
    let schemas = Self.avro.appendingPathComponent("schemas")
    for name in try FileManager.default.contentsOfDirectory(atPath: schemas.path) where name.hasSuffix(".avsc") {
      let text = try String(contentsOf: schemas.appendingPathComponent(name), encoding: .utf8)
      #expect(Self.parse(text, path: name).0 != nil, "\(name)")
      checked += 1
    }
    print("avro schema parsing: \(checked) schemas checked")
  }

  @Test func compatibilityAgreesWithApacheAvro() throws {
    var checked = 0
    var agreed = 0
    for testCase in Self.json("compat-cases.json") {
      guard let readerObject = testCase["reader"], let writerObject = testCase["writer"],
        let expected = testCase["compatible"] as? Bool
      else { continue }
      let readerText = String(
        decoding: try JSONSerialization.data(withJSONObject: readerObject, options: .fragmentsAllowed), as: UTF8.self)
      let writerText = String(
        decoding: try JSONSerialization.data(withJSONObject: writerObject, options: .fragmentsAllowed), as: UTF8.self)
      guard let reader = Self.parse(readerText).0, let writer = Self.parse(writerText).0 else {
        Issue.record("\(testCase["name"] ?? "?"): schemas do not parse")
        continue
      }
      let problems = CompatibilityChecker.problems(reader: reader, writer: writer)
      checked += 1
      if problems.isEmpty == expected { agreed += 1 }
      #expect(
        problems.isEmpty == expected,
        "\(testCase["name"] ?? "?"): expected compatible=\(expected), got \(problems.map(\.message))")
    }
    print("avro compatibility: \(agreed) of \(checked) cases agree with Apache Avro")
    #expect(checked == 184)
  }
}
