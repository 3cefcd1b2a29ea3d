import Foundation
import MeshTestSupport
import Testing

/// Every command's `--help`, as a golden file (`Cases/help/expected/`), and the exit
/// status of wrong use, so that a change to the command line is a reviewed change.
/// `MESHC_UPDATE_GOLDEN=1 swift test` rewrites the files.
@Suite struct HelpSnapshotTests {
  static let expected = Fixtures.packageRoot.appendingPathComponent("Tests/MeshDriverTests/Cases/help/expected")
  static let environment = ["COLUMNS": "80"]

  /// The command paths under `path`, found by reading the SUBCOMMANDS of each help text.
  static func commands(under path: [String] = [], in directory: URL) throws -> [[String]] {
    let help = try Meshc.run(path + ["--help"], in: directory, environment: environment).stdout
    guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [path] }
    var found = [path]
    for line in help[section.upperBound...].split(separator: "\n") {
      guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else { continue }
      guard name.first?.isLetter == true, name != "See" else { continue }
      found += try commands(under: path + [String(name)], in: directory)
    }
    return found
  }

  @Test func everyCommandsHelpMatchesItsGoldenFile() throws {
    let directory = try Fixtures.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let paths = try Self.commands(in: directory)
    #expect(paths.count >= 15)
    var files: Set<String> = []
    for path in paths {
      let result = try Meshc.run(path + ["--help"], in: directory, environment: Self.environment)
      #expect(result.status == 0, "meshc \(path.joined(separator: " ")) --help")
      let name = (["meshc"] + path).joined(separator: "-") + ".txt"
      files.insert(name)
      try Golden.check(result.stdout, Self.expected.appendingPathComponent(name))
      let options = result.stdout.split(separator: "\n").compactMap { line -> Substring? in
        let words = line.split(separator: " ")
        return words.first?.hasPrefix("--") == true ? words.first : nil
      }
      #expect(Set(options).count == options.count, "meshc \(path.joined(separator: " ")) lists an option twice")
    }
    let stale = Set((try? FileManager.default.contentsOfDirectory(atPath: Self.expected.path)) ?? []).subtracting(files)
    #expect(stale.isEmpty, "golden help files of commands that no longer exist: \(stale.sorted())")
  }

  /// An unknown option or a missing argument is a usage error everywhere: exit status 2
  /// and a message.
  @Test func wrongUseExitsWithTwo() throws {
    let directory = try Fixtures.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for path in try Self.commands(in: directory) {
      let result = try Meshc.run(path + ["--no-such-option"], in: directory, environment: Self.environment)
      #expect(result.status == 2, "meshc \(path.joined(separator: " ")) --no-such-option exited \(result.status)")
      #expect(result.stderr.hasPrefix("Error: "), "meshc \(path.joined(separator: " ")): \(result.stderr)")
    }
    for arguments in [["topics", "create"], ["produce"], ["consume"], ["schemas", "show"], ["compat", "--old", "a"]] {
      let result = try Meshc.run(arguments, in: directory, environment: Self.environment)
      #expect(result.status == 2, "meshc \(arguments.joined(separator: " ")) exited \(result.status)")
    }
  }
}
