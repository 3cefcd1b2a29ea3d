import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// Checks on the code catalog as a whole: ids are unique and well-formed, every code is
/// exercised by some test, and docs/diagnostics.md lists exactly the catalog.
struct CatalogTests {
  static let catalogSource = Fixtures.packageRoot.appendingPathComponent(
    "Sources/MeshDiagnostics/DiagnosticCode+Catalog.swift")

  /// (property name, id) for every `public static let x = DiagnosticCode("E0101", …)`.
  static func declaredCodes() throws -> [(name: String, id: String)] {
    let text = try String(contentsOf: catalogSource, encoding: .utf8)
    let pattern = try NSRegularExpression(pattern: #"static let (\w+) = DiagnosticCode\(\s*"([EW]\d{4})""#)
    let range = NSRange(text.startIndex..., in: text)
    return pattern.matches(in: text, range: range).compactMap { match in
      guard let name = Range(match.range(at: 1), in: text), let id = Range(match.range(at: 2), in: text) else {
        return nil
      }
      return (String(text[name]), String(text[id]))
    }
  }

  @Test func idsAreUniqueWellFormedAndAllInTheCatalog() throws {
    let catalog = DiagnosticCode.catalog
    #expect(Set(catalog.map(\.id)).count == catalog.count, "duplicate ids")
    for code in catalog {
      #expect(code.id.wholeMatch(of: /[EW]\d{4}/) != nil, "\(code.id)")
      #expect(!code.summary.isEmpty && code.summary.first?.isLowercase == true, "\(code.id)")
    }
    let retired = Set(DiagnosticCode.retired.map(\.id))
    #expect(retired.isDisjoint(with: catalog.map(\.id)), "a retired code is reported again")
    let declared = try Self.declaredCodes()
    #expect(Set(declared.map(\.id)) == Set(catalog.map(\.id)), "a declared code is missing from `catalog`")
  }

  /// Every code must be triggered by a test: a test names it (`.yamlSyntax`) or a fixture
  /// expects its id.
  @Test func everyCodeIsExercisedByATest() throws {
    let tests = Fixtures.packageRoot.appendingPathComponent("Tests")
    var corpus = ""
    let enumerator = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)
    while let url = enumerator?.nextObject() as? URL {
      guard ["swift", "json", "txt"].contains(url.pathExtension), url.lastPathComponent != "CatalogTests.swift" else {
        continue
      }
      corpus += (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
    for (name, id) in try Self.declaredCodes() {
      #expect(corpus.contains(".\(name)") || corpus.contains(id), "no test triggers \(id) (\(name))")
    }
  }

  static func renderedList() -> String {
    var text = """
      # Diagnostic codes

      Every code meshc reports, by stage. Codes are stable: they are never renumbered or
      reused. `E` codes are errors, `W` codes warnings. This page is checked against the
      catalog by the test suite (`MESHC_UPDATE_GOLDEN=1 swift test` rewrites it).

      | code | meaning |
      | --- | --- |

      """
    for code in DiagnosticCode.catalog {
      text += "| \(code.id) | \(code.summary) |\n"
    }
    text += "\nRetired codes, never reused:\n\n| code | now reported as |\n| --- | --- |\n"
    for (id, replacement) in DiagnosticCode.retired {
      text += "| \(id) | \(replacement.id): \(replacement.summary) |\n"
    }
    return text
  }

  @Test func documentationListsTheCatalog() throws {
    let url = Fixtures.packageRoot.appendingPathComponent("docs/diagnostics.md")
    let expected = Self.renderedList()
    if ProcessInfo.processInfo.environment["MESHC_UPDATE_GOLDEN"] == "1" {
      try expected.write(to: url, atomically: true, encoding: .utf8)
    }
    let actual = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "docs/diagnostics.md is stale; run MESHC_UPDATE_GOLDEN=1 swift test")
  }
}
