import MeshDiagnostics
import MeshTestSupport
import Testing

@testable import MeshYAML

private func parse(_ text: String, limits: YAMLLimits = .default) -> YAMLParseResult {
  parseYAML(SourceFile(path: "test.yaml", text: text), limits: limits)
}

/// Parses marked text and expects exactly one error with `code` at marker 1️⃣.
private func expectError(
  _ code: DiagnosticCode, in marked: String, limits: YAMLLimits = .default,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let source = MarkedSource(marked)
  let result = parseYAML(source.sourceFile(), limits: limits)
  let errors = result.diagnostics.sorted().filter { $0.severity == .error }
  #expect(errors.map(\.code) == [code], sourceLocation: sourceLocation)
  #expect(errors.first?.range?.file == "test.yaml", sourceLocation: sourceLocation)
  #expect(errors.first?.range?.start == source["1️⃣"], sourceLocation: sourceLocation)
}

@Test(arguments: [
  ("yes", YAMLScalar.Value.string("yes")), ("no", .string("no")), ("on", .string("on")), ("off", .string("off")),
  ("true", .bool(true)), ("False", .bool(false)), ("TRUE", .bool(true)), ("tRUE", .string("tRUE")),
  ("null", .null), ("~", .null), ("NULL", .null), ("", .null),
  ("42", .int(42)), ("-17", .int(-17)), ("+3", .int(3)), ("0x1F", .int(31)), ("0o17", .int(15)),
  ("0o18", .string("0o18")),
  ("012", .int(12)), ("99999999999999999999", .bigInt("99999999999999999999")),
  ("1.5", .float(1.5)), ("-.5", .float(-0.5)), ("1e3", .float(1000)), ("2.", .float(2)), (".inf", .float(.infinity)),
  ("-.Inf", .float(-.infinity)), ("1_000", .string("1_000")), ("0x", .string("0x")), ("1.2.3", .string("1.2.3")),
  ("5m", .string("5m")), ("99.9%", .string("99.9%")),
])
func plainScalarsResolveByTheCoreSchema(_ text: String, _ expected: YAMLScalar.Value) {
  let root = parse("key: \(text)\n").documents.first?.root
  #expect(root?["key"]?.scalar?.value == expected)
}

@Test func nanResolvesToFloat() {
  guard case .float(let value)? = parse("a: .NaN").documents.first?.root?["a"]?.scalar?.value else {
    Issue.record("not a float")
    return
  }
  #expect(value.isNaN)
}

@Test func quotedAndBlockScalarsStayStrings() {
  let root = parse("a: 'true'\nb: \"12\"\nc: |\n  42\nd: >\n  folded\n  text\n").documents.first?.root
  #expect(root?["a"]?.scalar == YAMLScalar(text: "true", style: .singleQuoted, value: .string("true")))
  #expect(root?["b"]?.scalar?.style == .doubleQuoted)
  #expect(root?["c"]?.scalar == YAMLScalar(text: "42\n", style: .literal, value: .string("42\n")))
  #expect(root?["d"]?.scalar == YAMLScalar(text: "folded text\n", style: .folded, value: .string("folded text\n")))
}

@Test func nodesCarryOneBasedSpans() {
  let source = MarkedSource("spec:\n  inputs:\n    - name: 1️⃣raw2️⃣\n      path: 3️⃣\"x\"4️⃣\n")
  let root = parseYAML(source.sourceFile()).documents.first?.root
  let input = root?["spec"]?["inputs"]?.sequence?.first
  #expect(input?["name"]?.range.start == source["1️⃣"])
  #expect(input?["name"]?.range.end == source["2️⃣"])
  #expect(input?["path"]?.range.start == source["3️⃣"])
  #expect(input?["path"]?.range.end == source["4️⃣"])
}

@Test func columnsCountCharactersNotBytes() {
  let source = MarkedSource("name: \"héllo\"\nnext: 1️⃣ü\n")
  let root = parseYAML(source.sourceFile()).documents.first?.root
  #expect(root?["next"]?.range.start == source["1️⃣"])
}

@Test func aliasesExpandAndMergeKeysApply() {
  let yaml = """
    base: &base {a: 1, b: 2}
    extra: &extra {c: 3}
    one: {<<: *base, b: 20}
    two:
      <<: [*extra, *base]
      d: 4
    copy: *base
    """
  let root = parse(yaml).documents.first?.root
  #expect(root?["one"]?["a"]?.scalar?.value == .int(1))
  #expect(root?["one"]?["b"]?.scalar?.value == .int(20))
  #expect(root?["one"]?.mapping?.count == 2)
  #expect(root?["two"]?.mapping?.map { $0.key.scalar?.text } == ["d", "c", "a", "b"])
  #expect(root?["copy"]?["b"]?.scalar?.value == .int(2))
  #expect(root?["base"]?.anchor == "base")
}

@Test func multipleDocumentsAndEmptyInput() {
  #expect(parse("a: 1\n---\nb: 2\n---\n").documents.count == 3)
  #expect(parse("").documents.isEmpty)
  #expect(parse("").diagnostics.isEmpty)
  #expect(parse("# only a comment\n").documents.isEmpty)
}

@Test func explicitTagsOverrideResolution() {
  let root = parse("a: !!str 123\nb: !!int \"12\"\nc: !!float 3\nd: ! 12\ne: !custom x\n").documents.first?.root
  #expect(root?["a"]?.scalar?.value == .string("123"))
  #expect(root?["b"]?.scalar?.value == .int(12))
  #expect(root?["c"]?.scalar?.value == .float(3))
  #expect(root?["d"]?.scalar?.value == .string("12"))
  #expect(root?["e"]?.tag == "!custom")
  #expect(root?["a"]?.tag == "tag:yaml.org,2002:str")
}

@Test func syntaxErrorsPointAtTheProblem() {
  expectError(.yamlSyntax, in: "a: [1, 2\nb1️⃣: 3\n")
}

@Test func invalidUTF8IsReportedAtTheByte() {
  var bytes = Array("ok: yes\nname: caf".utf8)
  bytes.append(0xE9)
  bytes += Array("\n".utf8)
  let result = parseYAML(SourceFile(path: "test.yaml", bytes: bytes))
  let error = result.diagnostics.sorted().first
  #expect(error?.code == .yamlInvalidUTF8)
  #expect(error?.range?.start == SourceLocation(line: 2, column: 10))
}

@Test func tabsInIndentationGetTheirOwnCode() {
  expectError(.yamlTabIndentation, in: "spec:\n1️⃣\tname: x\n")
}

@Test func aliasBombsAreRefusedQuickly() {
  var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
  for level in 1..<10 {
    let previous = "*a\(level - 1)"
    yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
  }
  let result = parse(yaml)
  #expect(result.diagnostics.sorted().first?.code == .yamlAliasExpansionLimit)
  expectError(
    .yamlAliasExpansionLimit, in: "a: &a [1, 2, 3]\nb: [*a, 1️⃣*a]\n",
    limits: {
      var limits = YAMLLimits(); limits.maxAliasExpansionNodes = 5; return limits
    }())
}

@Test func undefinedAliasesAreErrors() {
  expectError(.yamlUndefinedAlias, in: "a: 1\nb: 1️⃣*nowhere\n")
}

@Test func duplicateKeysPointAtTheSecondWithANoteAtTheFirst() {
  let source = MarkedSource("name: a\n1️⃣name: b\n")
  let result = parseYAML(source.sourceFile())
  let error = result.diagnostics.sorted().first
  #expect(error?.code == .yamlDuplicateKey)
  #expect(error?.range?.start == source["1️⃣"])
  #expect(error?.notes.first?.range?.start == SourceLocation(line: 1, column: 1))
  expectError(.yamlDuplicateKey, in: "{1: a, 1️⃣0x1: b}")
  #expect(parse("{1: a, '1': b}").diagnostics.isEmpty)
}

@Test func deepNestingIsBoundedWithoutRecursion() {
  let depth = 100_000
  let yaml = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
  let result = parse(yaml)
  #expect(result.diagnostics.sorted().first?.code == .yamlTooDeep)
  expectError(
    .yamlTooDeep, in: "a:\n  b:\n    1️⃣c: 1\n",
    limits: {
      var limits = YAMLLimits(); limits.maxDepth = 2; return limits
    }())
}

@Test func invalidTaggedValuesAreErrors() {
  expectError(.yamlInvalidTaggedValue, in: "a: 1️⃣!!int twelve\n")
}

@Test func mergeOfAScalarIsAnError() {
  expectError(.yamlInvalidMerge, in: "a:\n  <<: 1️⃣3\n")
}

@Test func hostileInputNeverCrashes() {
  var random = SeededRandom()
  for _ in 0..<200 {
    let bytes = (0..<Int.random(in: 0..<400, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
    _ = parseYAML(SourceFile(path: "garbage", bytes: bytes))
  }
  let huge = "a: " + String(repeating: "x", count: 10_000_000) + "\n"
  #expect(parse(huge).documents.first?.root?["a"]?.scalar?.text.utf8.count == 10_000_000)
  #expect(parse("\u{FEFF}a: 1\n").documents.first?.root?["a"]?.scalar?.value == .int(1))
}
