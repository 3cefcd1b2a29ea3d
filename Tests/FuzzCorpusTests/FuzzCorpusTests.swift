import Foundation
import FuzzHarness
import MeshTestSupport
import Testing

/// Replays every committed fuzz input — each target's `corpus/` and the minimized
/// crashers in `regressions/` — through the same body the libFuzzer executable runs, so
/// that what the fuzzers found stays fixed. (`scripts/fuzz.sh TARGET SECONDS` fuzzes.)
@Suite struct FuzzCorpusTests {
  static let root = Fixtures.packageRoot.appendingPathComponent("Fuzz")

  static func inputs(of target: String) -> [URL] {
    ["corpus", "regressions"].flatMap { folder -> [URL] in
      let directory = root.appendingPathComponent(target).appendingPathComponent(folder)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }
  }

  @Test(arguments: FuzzHarness.targets.keys.sorted())
  func everyCommittedInputRunsClean(_ target: String) throws {
    let body = try #require(FuzzHarness.targets[target])
    let inputs = Self.inputs(of: target)
    #expect(!inputs.isEmpty, "Fuzz/\(target)/corpus is empty: seed it (see scripts/fuzz.sh)")
    for url in inputs {
      body([UInt8](try Data(contentsOf: url)))
    }
    print("fuzz corpus \(target): \(inputs.count) inputs replayed")
  }

  /// Every target has its folder with a libFuzzer entry point, and every folder a body.
  @Test func everyTargetHasAnEntryPoint() throws {
    let folders = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).filter { $0 != "Harness" }
    #expect(Set(folders) == Set(FuzzHarness.targets.keys))
    for folder in folders {
      let main = Self.root.appendingPathComponent("\(folder)/main.swift")
      #expect(FileManager.default.fileExists(atPath: main.path), "Fuzz/\(folder)/main.swift")
    }
  }
}
