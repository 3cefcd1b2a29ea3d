import Foundation
import MeshDiagnostics
import MeshSchema
import MeshTestSupport
import Testing

@testable import MeshYAML

/// Runs the yaml-test-suite: every case must load to its `in.json` or, when it has an
/// `error` file, be rejected — except the cases libyaml itself gets wrong, listed in
/// `yaml-test-suite-libyaml-deviations.txt`, which are skipped (and only those).
@Suite(.enabled(if: Fixtures.conformanceAvailable, Fixtures.conformanceSkipped))
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
    let (expected, problems) = JSONReader.readAll(SourceFile(path: "in.json", bytes: [UInt8](jsonData)))
    guard !problems.hasErrors else { return .failed("in.json unreadable") }
    guard expected.count == result.documents.count else {
      return .failed("loaded \(result.documents.count) documents, expected \(expected.count)")
    }
    for (document, json) in zip(result.documents, expected) where !Self.equal(document.root, json) {
      return .failed("document differs from \(json)")
    }
    return .passed
  }

  /// A loaded node against the suite's JSON: numbers compare by value, mappings by
  /// their keys' text (the suite's keys are strings).
  static func equal(_ node: YAMLNode?, _ json: SourceValue) -> Bool {
    guard let node else {
      if case .null = json.content { return true }
      return false
    }
    switch (node.content, json.content) {
    case (.sequence(let items), .array(let values)):
      return items.count == values.count && zip(items, values).allSatisfy { equal($0, $1) }
    case (.mapping(let pairs), .object(let members)):
      guard pairs.count == members.count else { return false }
      return members.allSatisfy { member in
        pairs.first { $0.key.scalar?.text == member.key }.map { equal($0.value, member.value) } ?? false
      }
    case (.scalar(let scalar), _):
      switch (scalar.value, json.content) {
      case (.null, .null): return true
      case (.bool(let a), .bool(let b)): return a == b
      case (.int(let a), .number): return Double(a) == json.number
      case (.bigInt(let text), .number): return Double(text) == json.number
      case (.float(let a), .number): return a == json.number
      case (.string(let a), .string(let b)): return a == b
      default: return false
      }
    default: return false
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
