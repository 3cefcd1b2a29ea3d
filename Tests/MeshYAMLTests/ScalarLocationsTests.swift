import MeshDiagnostics
import MeshTestSupport
import Testing

@testable import MeshYAML

/// Each character of a scalar's text is found where it was written, whatever the style:
/// the marker stands before the word `amount` in the source, and the location of the
/// text's `amount` must be the marker's.
@Test(arguments: [
  "f: status = 'x' AND 1️⃣amount > 0\n",
  "f: \"status = 'x' AND 1️⃣amount > 0\"\n",
  "f: 'status = ''x'' AND 1️⃣amount > 0'\n",
  "f: \"status = \\u0027x\\u0027 AND 1️⃣amount > 0\"\n",
  "f: |\n  status = 'x'\n  AND 1️⃣amount > 0\n",
  "f: >-\n    status = 'x'\n    AND 1️⃣amount > 0\n",
  "f: status = 'x'\n  AND 1️⃣amount > 0\n",
  "f: \"status = 'x' \\\n   AND 1️⃣amount > 0\"\n",
])
func scalarCharactersAreLocatedInTheFile(_ marked: String) throws {
  let source = MarkedSource(marked)
  let file = source.sourceFile()
  let node = try #require(parseYAML(file).documents.first?.root?["f"])
  let scalar = try #require(node.scalar)
  let locations = ScalarLocations.locate(scalar, range: node.range, in: file)
  #expect(locations.count == scalar.text.unicodeScalars.count + 1)
  let characters = Array(scalar.text.unicodeScalars)
  let word = Array("amount".unicodeScalars)
  let index = try #require(
    characters.indices.first { characters[$0...].starts(with: word) }, "'amount' in \(scalar.text)")
  #expect(locations[index] == source["1️⃣"], "\(scalar.text)")
}
