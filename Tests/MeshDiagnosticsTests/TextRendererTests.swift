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
