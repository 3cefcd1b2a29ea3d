import MeshDiagnostics
import MeshSchema
import MeshTestSupport
import Testing

private func schema(_ text: String) -> Schema? { Schema.parse(SourceFile(path: "s.avsc", text: text)).schema }

private func order(_ fields: String, name: String = "Order", extra: String = "") -> String {
  #"{"type": "record", "name": "\#(name)", \#(extra) "fields": [{"name": "id", "type": "string"}\#(fields)]}"#
}

/// One rule each: the new schema, the old one, the mode, and the code expected (nil: compatible).
private let rules: [(String, String, String, CompatibilityMode, DiagnosticCode?)] = [
  (
    "added field with default", order(#", {"name": "c", "type": ["null", "string"], "default": null}"#), order(""),
    .fullTransitive, nil
  ),
  (
    "added field without default", order(#", {"name": "c", "type": "string"}"#), order(""), .backward,
    .fieldWithoutDefault
  ),
  ("added field without default, forward", order(#", {"name": "c", "type": "string"}"#), order(""), .forward, nil),
  (
    "removed field without default", order(""), order(#", {"name": "c", "type": "string"}"#), .forward,
    .fieldWithoutDefault
  ),
  (
    "int widened to long", order(#", {"name": "n", "type": "long"}"#), order(#", {"name": "n", "type": "int"}"#),
    .backward, nil
  ),
  (
    "long narrowed to int", order(#", {"name": "n", "type": "int"}"#), order(#", {"name": "n", "type": "long"}"#),
    .backward, .incompatibleType
  ),
  (
    "widening is not forward", order(#", {"name": "n", "type": "long"}"#), order(#", {"name": "n", "type": "int"}"#),
    .full, .incompatibleType
  ),
  (
    "string to bytes", order(#", {"name": "n", "type": "bytes"}"#), order(#", {"name": "n", "type": "string"}"#),
    .full, nil
  ),
  (
    "enum symbol removed", #"{"type": "enum", "name": "S", "symbols": ["A"]}"#,
    #"{"type": "enum", "name": "S", "symbols": ["A", "B"]}"#, .backward, .missingEnumSymbol
  ),
  (
    "enum symbol removed, reader default", #"{"type": "enum", "name": "S", "symbols": ["A", "X"], "default": "X"}"#,
    #"{"type": "enum", "name": "S", "symbols": ["A", "B"]}"#, .backward, nil
  ),
  (
    "fixed resized", #"{"type": "fixed", "name": "F", "size": 8}"#, #"{"type": "fixed", "name": "F", "size": 4}"#,
    .backward, .fixedSizeMismatch
  ),
  ("record renamed", order("", name: "Purchase"), order(""), .backward, .nameMismatch),
  (
    "record renamed with alias", order("", name: "Purchase", extra: #""aliases": ["Order"],"#), order(""), .backward,
    nil
  ),
  (
    "union branch removed", order(#", {"name": "n", "type": ["null", "int"], "default": null}"#),
    order(#", {"name": "n", "type": ["null", "int", "string"], "default": null}"#), .backward, .missingUnionBranch
  ),
  (
    "decimal rescaled", #"{"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 3}"#,
    #"{"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}"#, .backward, .decimalMismatch
  ),
  ("anything under NONE", order(#", {"name": "c", "type": "string"}"#), order(""), .none, nil),
]

@Test(arguments: rules.indices)
func compatibilityRules(_ index: Int) throws {
  let (name, newText, oldText, mode, expected) = rules[index]
  let new = try #require(schema(newText), "\(name)")
  let old = try #require(schema(oldText), "\(name)")
  let problems = CompatibilityChecker.check(new: new, earlier: [old], mode: mode)
  #expect(problems.map(\.code) == (expected.map { [$0] } ?? []), "\(name): \(problems.map(\.message))")
}

@Test func transitiveModesCompareWithEveryVersion() throws {
  let v1 = try #require(schema(order(#", {"name": "c", "type": "string"}"#)))
  let v2 = try #require(schema(order(#", {"name": "c", "type": "string", "default": ""}"#)))
  let v3 = try #require(schema(order("")))
  // v3 drops 'c': v2 readers get the default, v1 readers (no default) break.
  #expect(CompatibilityChecker.check(new: v3, earlier: [v1, v2], mode: .forward).isEmpty)
  #expect(
    CompatibilityChecker.check(new: v3, earlier: [v1, v2], mode: .forwardTransitive).map(\.code) == [
      .fieldWithoutDefault
    ])
}

@Test func problemsNameTheFieldPathAndTheFix() throws {
  let new = try #require(
    schema(
      #"{"type": "record", "name": "Order", "fields": [{"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [{"name": "price", "type": "int"}]}}}]}"#
    ))
  let old = try #require(
    schema(
      #"{"type": "record", "name": "Order", "fields": [{"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [{"name": "price", "type": "double"}]}}}]}"#
    ))
  let problem = try #require(CompatibilityChecker.check(new: new, earlier: [old], mode: .backward).first)
  #expect(problem.path == "Order.items[].price")
  #expect(problem.help?.contains("add a new field") == true)
  #expect(problem.readerRange?.start.line == 1)
  let added = try #require(schema(order(#", {"name": "channel", "type": "string"}"#)))
  let base = try #require(schema(order("")))
  let missing = try #require(CompatibilityChecker.check(new: added, earlier: [base], mode: .backward).first)
  #expect(missing.path == "Order.channel")
  #expect(missing.help == "give the field 'channel' a default")
}

/// Records `R0`…`R<depth>`, each with two fields of the next one (the second by name):
/// linear in size, with 2^depth paths to the last record, whose field `x` has `leafType`.
private func doubling(depth: Int, leafType: String) -> String {
  var text = #"{"type": "record", "name": "R\#(depth)", "fields": [{"name": "x", "type": "\#(leafType)"}]}"#
  for level in (0..<depth).reversed() {
    text =
      #"{"type": "record", "name": "R\#(level)", "fields": [{"name": "a", "type": \#(text)}, {"name": "b", "type": "R\#(level + 1)"}]}"#
  }
  return text
}

@Test func typesReferredToManyTimesAreCheckedOnce() throws {
  // 2^40 paths: checking each again used to take exponential time (2^22 took minutes).
  let old = try #require(schema(doubling(depth: 40, leafType: "int")))
  let same = try #require(schema(doubling(depth: 40, leafType: "int")))
  #expect(CompatibilityChecker.check(new: same, earlier: [old], mode: .fullTransitive).isEmpty)
  // A break at the bottom is found, and reported at a bounded number of its 2^12 paths.
  let small = try #require(schema(doubling(depth: 12, leafType: "int")))
  let broken = try #require(schema(doubling(depth: 12, leafType: "string")))
  let problems = CompatibilityChecker.check(new: broken, earlier: [small], mode: .backward)
  #expect(problems.first?.path == "R0.a.a.a.a.a.a.a.a.a.a.a.a.x")
  #expect(problems.count == CompatibilityChecker.maxProblems)
}
