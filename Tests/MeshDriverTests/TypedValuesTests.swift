import MeshDiagnostics
import MeshSchema
import Testing

@testable import MeshDriver

/// Where in a produced JSON value the part that does not fit its schema starts.
@Suite struct TypedValuesTests {
  private func offset(of path: String, in text: String) throws -> Int {
    let file = SourceFile(path: "<stdin>", text: text)
    let value = try #require(JSONReader.read(file).value)
    return file.byteOffset(of: TypedValues.node(at: path, in: value).range.start)
  }

  @Test func pathsOfRecordsArraysMapsAndUnionsFindTheirValue() throws {
    let text = #"{"a": {"b": [1, {"c": true}]}, "m": {"k": 5}, "u": {"string": {"x": 9}}}"#
    func at(_ needle: String) -> Int {
      text.utf8.count - (text.split(separator: needle, maxSplits: 1).last?.utf8.count ?? 0) - needle.utf8.count
    }
    #expect(try offset(of: "a.b[1].c", in: text) == at("true"))
    #expect(try offset(of: "a.b[0]", in: text) == at("1,"))
    #expect(try offset(of: "m{k}", in: text) == at("5"))
    #expect(try offset(of: "u.x", in: text) == at("9"))
    // A path that leaves the value stops at the deepest part it reached.
    #expect(try offset(of: "a.b[7]", in: text) == at("[1,"))
    #expect(try offset(of: "", in: text) == 0)
  }
}
