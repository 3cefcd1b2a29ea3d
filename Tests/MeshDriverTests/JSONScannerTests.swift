import Testing

@testable import MeshDriver

@Suite struct JSONScannerTests {
  @Test(arguments: [
    "{}", "[]", "0", "-0.5e+3", "\"text\"", "true", "null", " {\"a\": [1, 2, {\"b\": null}], \"c\": \"\\u00e9\\n\"} ",
    "\"\\ud83d\\ude00\"", "[[[[]]]]", "\"é\"",
  ])
  func validJSON(_ text: String) {
    #expect(JSONScanner.problem(in: Array(text.utf8)) == nil, "\(text)")
  }

  @Test(arguments: [
    ("", 0), ("{", 1), ("{\"a\" 1}", 5), ("[1,]", 3), ("01", 1), ("1.", 2), ("tru", 0), ("\"abc", 4), ("\"\\x\"", 3),
    ("\"\\ud800\"", 7), ("{} {}", 3), ("'a'", 0), ("\"a\tb\"", 2), ("[1 2]", 3),
  ])
  func invalidJSONSaysWhere(_ text: String, _ offset: Int) {
    #expect(JSONScanner.problem(in: Array(text.utf8))?.offset == offset, "\(text)")
  }

  @Test func invalidUTF8AndDeepNestingAreRefusedWithoutCrashing() {
    #expect(JSONScanner.problem(in: [0x22, 0xFF, 0x22]) != nil)
    let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
    #expect(JSONScanner.problem(in: deep)?.message.contains("deeper") == true)
  }

  @Test func membersOfTheTopLevelObject() throws {
    let line = Array(#"{"id": "o-1", "n": 3, "nested": {"id": 9}}"#.utf8)
    let members = try JSONScanner.members(of: line).get()
    #expect(members.map(\.name) == ["id", "n", "nested"])
    #expect(JSONScanner.string(in: line, members[0].value) == "o-1")
    #expect(String(decoding: line[members[2].value], as: UTF8.self) == #"{"id": 9}"#)
    #expect(JSONScanner.kind(of: line, at: members[1].value.lowerBound) == .number)
    guard case .failure = JSONScanner.members(of: Array("[1]".utf8)) else {
      Issue.record("an array has no members")
      return
    }
  }
}
