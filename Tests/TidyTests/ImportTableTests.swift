import Foundation
import MeshTestSupport
import Testing

/// The module table of DESIGN.md, enforced: every `import` of every target names a
/// target its row allows (or what those import), a system module, or a package the
/// target depends on for a reason written here.
@Suite struct ImportTableTests {
  /// DESIGN.md's module table: each target and the targets it may import directly.
  /// `allOfTheAbove` rows may import every product target.
  static let table: [String: [String]] = [
    "CYAML": [],
    "MeshBytes": [],
    "MeshDiagnostics": [],
    "MeshYAML": ["CYAML", "MeshDiagnostics"],
    "MeshSchema": ["MeshBytes", "MeshDiagnostics", "MeshYAML"],
    "MeshData": ["MeshBytes", "MeshSchema"],
    "MeshManifest": ["MeshYAML", "MeshSchema", "MeshDiagnostics"],
    "MeshPlan": ["MeshData", "MeshSchema", "MeshDiagnostics"],
    "MeshPlanner": ["MeshManifest", "MeshPlan"],
    "MeshLog": ["MeshBytes", "MeshSchema"],
    "MeshFormats": ["MeshData", "MeshSchema", "MeshBytes"],
    "MeshConnectors": ["MeshFormats", "MeshPlan"],
    "MeshRuntime": ["MeshPlan", "MeshLog", "MeshConnectors"],
    "MeshDriver": allOfTheAbove,
    // DESIGN.md's row says MeshDriver; its MeshBench row adds that `meshc bench …` calls
    // into MeshBench.
    "meshc": ["MeshDriver", "MeshBench"],
    "MeshTestSupport": ["MeshDiagnostics", "MeshLog"],
    "MeshBench": allOfTheAbove,
  ]

  static let allOfTheAbove = ["*"]

  /// Modules that are not targets of the table: the system's, and packages or C shims a
  /// target owns.
  static let outside: [String: Set<String>] = [
    "*": ["Foundation", "FoundationEssentials", "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization"],
    // CRC-32C's SSE4.2 instruction, behind a cpuid check, in a C file of MeshBytes' own.
    "MeshBytes": ["CCRC32C"],
    "MeshLog": ["Collections", "DequeModule"],
    // The codecs of Parquet pages and Avro blocks.
    "MeshFormats": ["CZlib", "CZstd", "CSnappy", "CLZ4"],
    "meshc": ["ArgumentParser"],
    // sha256 and hmac, the PII functions of expressions, the heap of a stream-stream
    // join's expiring records, and large keyed state.
    "MeshRuntime": ["Crypto", "HeapModule", "CRocksDB"],
    "MeshTestSupport": ["Testing"],
  ]

  /// What `target` may import: its row, and everything those targets may import.
  static func allowed(_ target: String) -> Set<String> {
    var result = Set<String>()
    var pending = table[target] ?? []
    while let next = pending.popLast() {
      if next == "*" {
        pending += table.keys.filter { !["meshc", "MeshBench", "MeshTestSupport", "MeshDriver", target].contains($0) }
        if target != "MeshDriver" { pending.append("MeshDriver") }
        continue
      }
      guard result.insert(next).inserted else { continue }
      pending += table[next] ?? []
    }
    return result
  }

  /// Every `import X` line of a target's sources.
  static func imports(of target: String) throws -> [(file: String, module: String)] {
    let directory = Fixtures.packageRoot.appendingPathComponent("Sources/\(target)")
    var found: [(String, String)] = []
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
    while let url = enumerator?.nextObject() as? URL {
      guard url.pathExtension == "swift" else { continue }
      for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
        let words = line.split(separator: " ")
        guard let importIndex = words.firstIndex(of: "import"), importIndex <= 2, importIndex + 1 < words.count,
          words[..<importIndex].allSatisfy({
            ["public", "package", "internal", "@testable", "@_exported"].contains($0)
          })
        else { continue }
        found.append((url.lastPathComponent, String(words[importIndex + 1])))
      }
    }
    return found
  }

  static var targets: [String] {
    let sources = Fixtures.packageRoot.appendingPathComponent("Sources")
    return ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []).sorted()
  }

  @Test func everyTargetIsInTheTable() {
    // C shims that one target owns (its `outside` entry) are part of that target's row.
    let shims = Self.outside.values.reduce(into: Set<String>()) { $0.formUnion($1) }
    for target in Self.targets where !shims.contains(target) {
      #expect(Self.table[target] != nil, "Sources/\(target) is not a row of DESIGN.md's module table")
    }
  }

  @Test func importsFollowTheTable() throws {
    var checked = 0
    for target in Self.targets where Self.table[target] != nil {
      let allowed = Self.allowed(target).union(Self.outside["*"] ?? []).union(Self.outside[target] ?? [])
      for (file, module) in try Self.imports(of: target) {
        #expect(
          allowed.contains(module), "\(target)/\(file) imports \(module), which its row of the table does not allow")
        checked += 1
      }
    }
    print("tidy: \(checked) import lines checked against the module table")
    #expect(checked > 50)
  }

  /// The table above is DESIGN.md's: when ../shared is beside the clone, they must agree.
  @Test func theTableIsDesignMDs() throws {
    let design = Fixtures.conformanceRoot.deletingLastPathComponent().appendingPathComponent("DESIGN.md")
    guard let text = try? String(contentsOf: design, encoding: .utf8) else {
      print("tidy: \(design.path) not found; the module table was checked against the copy in this test only")
      return
    }
    guard let start = text.range(of: "## Module layout") else {
      Issue.record("DESIGN.md has no 'Module layout' section")
      return
    }
    let section = text[start.upperBound...]
    let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
    var rows = 0
    for line in section[..<end].split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard cells.count >= 4 else { continue }
      let target = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      let importsCell = cells[3]
      let expected: [String] =
        importsCell.contains("all of the above")
        ? Self.allOfTheAbove
        : importsCell.split(separator: ",").map {
          $0.replacingOccurrences(of: "(internal)", with: "").trimmingCharacters(in: CharacterSet(charactersIn: " `—"))
        }.filter { !$0.isEmpty }
      let ours = target == "meshc" ? ["MeshDriver"] : Self.table[target]
      #expect(ours.map(Set.init) == Set(expected), "DESIGN.md's row for \(target) says \(expected)")
      rows += 1
    }
    #expect(rows >= 15, "DESIGN.md's module table was not found")
  }
}
