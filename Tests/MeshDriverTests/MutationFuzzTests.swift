import Foundation
import MeshDiagnostics
import MeshDriver
import MeshManifest
import MeshSchema
import MeshTestSupport
import MeshYAML
import Testing

/// Bad input never crashes: the example mesh's manifests and schemas, mutated at random
/// (bytes flipped, inserted, deleted, lines swapped), go through every front-end stage.
/// Prints its seed; `MESHC_SEED` replays, `MESHC_LONG_TESTS=1` runs ten times longer.
struct MutationFuzzTests {
  static func exampleFiles(_ directory: String, extension suffix: String) -> [[UInt8]] {
    let root = Fixtures.packageRoot.appendingPathComponent(directory)
    let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
    var files: [[UInt8]] = []
    while let url = enumerator?.nextObject() as? URL {
      if url.pathExtension == suffix, let data = FileManager.default.contents(atPath: url.path) {
        files.append([UInt8](data))
      }
    }
    return files
  }

  static func mutate(_ bytes: [UInt8], using random: inout SeededRandom) -> [UInt8] {
    var out = bytes
    for _ in 0..<Int.random(in: 1...4, using: &random) where !out.isEmpty {
      let at = Int.random(in: 0..<out.count, using: &random)
      switch Int.random(in: 0..<5, using: &random) {
      case 0: out[at] = UInt8.random(in: 0...255, using: &random)
      case 1: out.insert(UInt8.random(in: 0...255, using: &random), at: at)
      case 2: out.remove(at: at)
      case 3: out.insert(contentsOf: Array("{[&a *a <<: !!int \t\"".utf8).shuffled(using: &random).prefix(3), at: at)
      default:
        let end = min(out.count, at + Int.random(in: 1...40, using: &random))
        out.replaceSubrange(at..<end, with: out[at..<end].reversed())
      }
    }
    return out
  }

  @Test func mutatedManifestsAndSchemasGiveDiagnosticsNotCrashes() {
    var random = SeededRandom()
    print("MutationFuzzTests: seed \(random.seed)")
    let manifests = Self.exampleFiles("products", extension: "yaml")
    let schemas = Self.exampleFiles("schemas", extension: "avsc")
    let rounds = SeededRandom.longTests ? 5000 : 500
    for round in 0..<rounds {
      let manifest = Self.mutate(manifests[round % manifests.count], using: &random)
      let parsed = parseYAML(SourceFile(path: "m.yaml", bytes: manifest))
      for document in parsed.documents {
        guard let root = document.root else { continue }
        var decoder = ManifestDecoder()
        _ = decoder.decodeProduct(root)
        var diagnostics = Diagnostics()
        if let value = SourceValue.from(root, diagnostics: &diagnostics) { _ = Schema.parse(value) }
      }
      let schemaText = Self.mutate(schemas[round % schemas.count], using: &random)
      if let schema = Schema.parse(SourceFile(path: "s.avsc", bytes: schemaText)).schema {
        _ = schema.canonicalForm
        _ = CompatibilityChecker.check(new: schema, earlier: [schema], mode: .fullTransitive)
      }
    }
    #expect(manifests.count == 7 && schemas.count == 11)
  }
}
