import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

@testable import MeshYAML

/// Runs the yaml-test-suite: every case must load to its `in.json` or, when it has an
/// `error` file, be rejected — except the cases libyaml itself gets wrong, listed in
/// `yaml-test-suite-libyaml-deviations.txt`, which are skipped (and only those).
struct YAMLTestSuiteTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let id: String
    let directory: URL
    var testDescription: String { id }
  }

  static let suite = Fixtures.conformanceRoot.appendingPathComponent("yaml-test-suite")

  static let deviations: Set<String> = {
    let url = Fixtures.conformanceRoot.appendingPathComponent("yaml-test-suite-libyaml-deviations.txt")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
  }()

  static let cases: [Case] = {
    let manager = FileManager.default
    var found: [Case] = []
    let ids = ((try? manager.contentsOfDirectory(atPath: suite.path)) ?? []).sorted()
    for id in ids {
      let directory = suite.appendingPathComponent(id)
      if manager.fileExists(atPath: directory.appendingPathComponent("in.yaml").path) {
        found.append(Case(id: id, directory: directory))
        continue
      }
      let subfolders = ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
      for sub in subfolders where manager.fileExists(atPath: directory.appendingPathComponent("\(sub)/in.yaml").path) {
        found.append(Case(id: "\(id)/\(sub)", directory: directory.appendingPathComponent(sub)))
      }
    }
    return found
  }()

  enum Outcome: Equatable {
    case passed, skipped
    case failed(String)
  }

  static func run(_ testCase: Case) -> Outcome {
    if deviations.contains(testCase.id) { return .skipped }
    let manager = FileManager.default
    guard let bytes = manager.contents(atPath: testCase.directory.appendingPathComponent("in.yaml").path) else {
      return .failed("in.yaml unreadable")
    }
    let result = parseYAML(SourceFile(path: "in.yaml", bytes: [UInt8](bytes)))
    if manager.fileExists(atPath: testCase.directory.appendingPathComponent("error").path) {
      return result.diagnostics.hasErrors ? .passed : .failed("accepted invalid YAML")
    }
    if result.diagnostics.hasErrors {
      return .failed("rejected valid YAML: \(result.diagnostics.sorted().map(\.message))")
    }
    let jsonURL = testCase.directory.appendingPathComponent("in.json")
    guard let jsonData = manager.contents(atPath: jsonURL.path) else { return .passed }
    guard let expected = JSONValue.parseAll(String(decoding: jsonData, as: UTF8.self)) else {
      return .failed("in.json unreadable")
    }
    let actual = result.documents.map { $0.root.map(json) ?? .null }
    return actual == expected ? .passed : .failed("loaded \(actual), expected \(expected)")
  }

  static func json(_ node: YAMLNode) -> JSONValue {
    switch node.content {
    case .sequence(let items): return .array(items.map(json))
    case .mapping(let pairs):
      var members: [String: JSONValue] = [:]
      for pair in pairs { members[pair.key.scalar?.text ?? "\(pair.key)"] = json(pair.value) }
      return .object(members)
    case .scalar(let scalar):
      switch scalar.value {
      case .null: return .null
      case .bool(let value): return .bool(value)
      case .int(let value): return .number(Double(value))
      case .bigInt(let text): return .number(Double(text) ?? .nan)
      case .float(let value): return .number(value)
      case .string(let text): return .string(text)
      }
    }
  }

  @Test(arguments: cases)
  func conformanceCase(_ testCase: Case) {
    let outcome = Self.run(testCase)
    if case .failed(let why) = outcome {
      Issue.record("yaml-test-suite \(testCase.id): \(why)")
    }
  }

  @Test func suiteSummary() {
    var passed = 0
    var skipped = 0
    var failed = 0
    for testCase in Self.cases {
      switch Self.run(testCase) {
      case .passed: passed += 1
      case .skipped: skipped += 1
      case .failed: failed += 1
      }
    }
    print("yaml-test-suite: \(passed) passed, \(failed) failed, \(skipped) skipped (libyaml deviations)")
    #expect(Self.cases.count > 300, "the suite was not found at \(Self.suite.path)")
    #expect(skipped <= Self.deviations.count)
  }
}
