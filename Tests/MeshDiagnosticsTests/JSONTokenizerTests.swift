import MeshDiagnostics
import Testing

@Suite struct JSONTokenizerTests {
  @Test(arguments: [
    "{}", "[]", "0", "-0", "-0.5e+3", "1E9", "\"text\"", "true", "false", "null",
    " {\"a\": [1, 2, {\"b\": null}], \"c\": \"\\u00e9\\n\"} ", "\"\\ud83d\\ude00\"", "[[[[]]]]", "\"é\"", "\"😀\"",
    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\u{FEFF}{}", "\t\r\n 7 \n",
  ])
  func acceptsJSON(_ text: String) {
    #expect(JSONTokenizer.problem(in: Array(text.utf8)) == nil, "\(text)")
  }

  /// Each rejected text with the byte offset the error names.
  @Test(arguments: [
    ("", 0), ("{", 1), ("{\"a\" 1}", 5), ("[1,]", 3), ("{\"a\":1,}", 7), ("01", 0), ("-01", 0), ("1.", 2),
    ("1e", 2), ("-", 1), ("+1", 0), (".5", 0), ("tru", 0), ("nul", 0), ("\"abc", 0), ("\"\\x\"", 1),
    ("\"\\ud800\"", 1), ("\"\\udc00\"", 1), ("\"\\ud800\\u0041\"", 1), ("\"\\u12\"", 1), ("{} {}", 3),
    ("'a'", 0), ("\"a\tb\"", 2), ("[1 2]", 3), ("{a:1}", 1), ("[1]]", 3), ("/* c */ 1", 0), ("NaN", 0),
    ("Infinity", 0), ("{\"a\":01}", 5),
  ])
  func rejectsWhatRFC8259Rejects(_ text: String, _ offset: Int) {
    #expect(JSONTokenizer.problem(in: Array(text.utf8))?.offset == offset, "\(text)")
  }

  @Test(
    arguments: [
      [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xE0, 0x80, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
      [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xE2, 0x82], [0xC3, 0xA9],
    ] as [[UInt8]])
  func rejectsInvalidUTF8(_ bytes: [UInt8]) {
    #expect(JSONTokenizer.problem(in: bytes) != nil)
  }

  @Test func deepNestingIsAnErrorNotRecursion() {
    let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
    let problem = JSONTokenizer.problem(in: deep)
    #expect(problem?.kind == .tooDeep)
    #expect(problem?.offset == JSONTokenizer.maxDepth)
    let allowed =
      String(repeating: "[", count: JSONTokenizer.maxDepth) + String(repeating: "]", count: JSONTokenizer.maxDepth)
    #expect(JSONTokenizer.problem(in: Array(allowed.utf8)) == nil)
  }

  @Test func tokensInOrder() throws {
    let bytes = Array(#"{"a": [1, "x\n"], "b": null}"#.utf8)
    var tokenizer = JSONTokenizer(bytes)
    var tokens: [String] = []
    while true {
      let token = try tokenizer.next()
      switch token {
      case .objectStart: tokens.append("{")
      case .objectEnd: tokens.append("}")
      case .arrayStart: tokens.append("[")
      case .arrayEnd: tokens.append("]")
      case .name(let name): tokens.append("name:" + JSONTokenizer.decode(name, in: bytes))
      case .string(let string): tokens.append("string:" + JSONTokenizer.decode(string, in: bytes))
      case .number(let range): tokens.append("number:" + String(decoding: bytes[range], as: UTF8.self))
      case .bool(let flag): tokens.append("\(flag)")
      case .null: tokens.append("null")
      case .end: tokens.append("end")
      }
      if token == .end { break }
    }
    #expect(tokens == ["{", "name:a", "[", "number:1", "string:x\n", "]", "name:b", "null", "}", "end"])
  }

  @Test func decodesEscapesAndSurrogatePairs() {
    let bytes = Array(#""a\u00e9\ud83d\ude00\/\"b""#.utf8)
    #expect(JSONTokenizer.string(in: bytes, 0..<bytes.count) == "aé😀/\"b")
  }

  @Test func sequencesOfTexts() throws {
    var tokenizer = JSONTokenizer(Array("1 {\"a\":2}\n[3]".utf8), sequence: true)
    var count = 0
    while try tokenizer.next() != .end { count += 1 }
    #expect(count == 1 + 4 + 3)
    var empty = JSONTokenizer([], sequence: true)
    #expect(try empty.next() == .end)
  }

  @Test func membersOfTheTopLevelObject() throws {
    let line = Array(#"{"id": "o-1", "n": 3, "nested": {"id": 9}}"#.utf8)
    let members = try #require(try JSONTokenizer.members(of: line))
    #expect(members.map(\.name) == ["id", "n", "nested"])
    #expect(members.map(\.kind) == [.string, .number, .object])
    #expect(JSONTokenizer.string(in: line, members[0].value) == "o-1")
    #expect(String(decoding: line[members[2].value], as: UTF8.self) == #"{"id": 9}"#)
    #expect(try JSONTokenizer.members(of: Array("[1]".utf8)) == nil)
    #expect(throws: JSONSyntaxError.self) { try JSONTokenizer.members(of: Array("{\"a\":}".utf8)) }
  }

  @Test func aRangeIsTokenizedAlone() {
    let bytes = Array(#"xx{"a":1}yy"#.utf8)
    #expect(JSONTokenizer.problem(in: bytes, range: 2..<9) == nil)
    #expect(JSONTokenizer.problem(in: bytes, range: 2..<10)?.offset == 9)
  }

  @Test func errorsAreLocatedInTheSourceFile() {
    let file = SourceFile(path: "s.avsc", text: "{\n  \"a\": 01\n}")
    let problem = JSONTokenizer.problem(in: file.bytes)
    let range = problem.map { file.range(fromByte: $0.offset, toByte: $0.offset + 1) }
    #expect(range?.start.line == 2)
    #expect(range?.start.column == 8)
  }

  @Test func writerEscapesAndSeparates() {
    var writer = JSONWriter()
    writer.beginObject()
    writer.key("a\"")
    writer.beginArray()
    writer.number(1)
    writer.number(2.5)
    writer.string("x\n\u{01}é")
    writer.null()
    writer.endArray()
    writer.key("b")
    writer.bool(true)
    writer.key("c")
    writer.number(Double.infinity)
    writer.endObject()
    #expect(writer.text == #"{"a\"":[1,2.5,"x\n\u0001é",null],"b":true,"c":null}"#)
    #expect(JSONTokenizer.problem(in: writer.bytes) == nil)
  }

  @Test(arguments: ["", "plain", "quote \" back \\ slash", "tab\tnew\nline\r", "\u{00}\u{1F}\u{7F}", "é😀"])
  func writtenStringsReadBack(_ text: String) {
    let quoted = Array(JSONWriter.quote(text).utf8)
    #expect(JSONTokenizer.string(in: quoted, 0..<quoted.count) == text)
  }
}
