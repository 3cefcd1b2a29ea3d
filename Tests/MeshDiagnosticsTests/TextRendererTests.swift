import MeshDiagnostics
import Testing

@Test func textRendererQuotesTheLineAndUnderlinesTheRange() {
  let file = SourceFile(path: "orders.yaml", text: "spec:\n  filter: amount > status\n")
  let range = SourceRange(
    file: "orders.yaml", start: SourceLocation(line: 2, column: 11), end: SourceLocation(line: 2, column: 26))
  let diagnostic = Diagnostic(
    .fileUnreadable, "cannot compare 'amount' with 'status'", at: range, help: "did you mean 'status_code'?")
  let text = TextRenderer(colored: false).render([diagnostic], sources: SourceFiles([file]))
  #expect(
    text == """
      orders.yaml:2:11: error[E0001]: cannot compare 'amount' with 'status'
       2 |   filter: amount > status
         |           ^~~~~~~~~~~~~~~
      help: did you mean 'status_code'?

      """)
}

@Test func locationsCountScalarsNotBytes() {
  let file = SourceFile(path: "x", text: "a: é\nb: ü1\n")
  #expect(file.location(ofByteOffset: 0) == SourceLocation(line: 1, column: 1))
  // "b: ü" is 5 bytes but 4 scalars; the byte after it is column 5.
  let offset = Array("a: é\nb: ü".utf8).count
  #expect(file.location(ofByteOffset: offset) == SourceLocation(line: 2, column: 5))
}

@Test func jsonRendererEscapesAndCounts() {
  let diagnostic = Diagnostic(.noManifests, "no \"manifests\"\n", at: nil)
  let json = JSONRenderer().render([diagnostic])
  #expect(json.contains(#""message":"no \"manifests\"\n""#))
  #expect(json.contains(#""errors":1,"warnings":0"#))
}

@Test func githubRendererEscapesProperties() {
  let range = SourceRange(file: "a,b.yaml", at: SourceLocation(line: 3, column: 4))
  let out = GitHubRenderer().render([Diagnostic(.fileUnreadable, "50% done\nnext", at: range)])
  #expect(out.hasPrefix("::error file=a%2Cb.yaml,line=3,col=4,"))
  #expect(out.contains("::50%25 done%0Anext"))
}

@Test func suggestionFindsCloseNames() {
  #expect(Suggestion.closest(to: "trasforms", among: ["transforms", "inputs"]) == "transforms")
  #expect(Suggestion.closest(to: "zzz", among: ["transforms", "inputs"]) == nil)
}

/// A long line is quoted as a window around the column, never whole, and the caret
/// still points at the same character.
@Test func longLinesAreQuotedAsAWindow() {
  let line = String(repeating: "a", count: 5000) + "X" + String(repeating: "b", count: 5000)
  let file = SourceFile(path: "long.json", text: line)
  let diagnostic = Diagnostic(
    .invalidInputLine, "bad", at: SourceRange(file: "long.json", at: SourceLocation(line: 1, column: 5001)))
  let text = TextRenderer(colored: false).render([diagnostic], sources: SourceFiles([file]))
  #expect(text.utf8.count < 600)
  let lines = text.split(separator: "\n")
  let quoted = Array(lines[1].unicodeScalars)
  let caret = Array(lines[2].unicodeScalars)
  let caretColumn = caret.firstIndex(of: "^") ?? 0
  #expect(quoted[caretColumn] == "X")
  #expect(quoted.contains("…"))
}

/// Control characters of a binary file are shown as symbols, not written raw.
@Test func controlCharactersAreVisible() {
  let file = SourceFile(path: "bin.yaml", bytes: Array("a: [".utf8) + [0, 1, 0x1B, 0x7F])
  let diagnostic = Diagnostic(
    .yamlSyntax, "bad", at: SourceRange(file: "bin.yaml", at: SourceLocation(line: 1, column: 5)))
  let text = TextRenderer(colored: false).render([diagnostic], sources: SourceFiles([file]))
  #expect(text.contains("a: [␀␁␛␡"))
  #expect(!text.utf8.contains(0x1B))
}
