import Foundation
import MeshTestSupport
import Testing

/// The README's walkthrough, run as a cram test: every ```console block is a shell
/// session on a copy of the example mesh, and what meshc prints must be what the README
/// shows. A change of output fails here until the README follows.
///
/// In a block, a line `$ command` runs `command` with `sh` (stdout and stderr together;
/// `cd DIR` changes the directory of the commands after it, `echo $?` prints the status
/// of the command before it); the lines up to the next `$ ` are its output. In expected
/// output, a line that is only `…` stands for any number of lines, and `…` inside a
/// line for any text, so that the README can leave out what changes from run to run
/// (times, commit ids) and say so.
@Suite struct ReadmeWalkthroughTests {
  struct Step: CustomStringConvertible {
    var command: String
    var expected: [String]
    var line: Int
    var description: String { "README.md:\(line): $ \(command)" }
  }

  static let readme = Fixtures.packageRoot.appendingPathComponent("README.md")

  /// The ```console blocks of the README, as steps.
  static func blocks() throws -> [[Step]] {
    let lines = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    var blocks: [[Step]] = []
    var current: [Step]?
    for (index, line) in lines.enumerated() {
      if current == nil {
        if line == "```console" { current = [] }
        continue
      }
      if line == "```" {
        blocks.append(current ?? [])
        current = nil
      } else if line.hasPrefix("$ ") {
        current?.append(Step(command: String(line.dropFirst(2)), expected: [], line: index + 1))
      } else if var steps = current, !steps.isEmpty {
        steps[steps.count - 1].expected.append(String(line))
        current = steps
      }
    }
    return blocks
  }

  /// Whether `actual` lines match `expected` with `…` wildcards.
  static func matches(_ actual: ArraySlice<String>, _ expected: ArraySlice<String>) -> Bool {
    guard let first = expected.first else { return actual.isEmpty }
    if first == "…" {
      let rest = expected.dropFirst()
      return (actual.startIndex...actual.endIndex).contains { matches(actual[$0...], rest) }
    }
    guard let line = actual.first, lineMatches(line, first) else { return false }
    return matches(actual.dropFirst(), expected.dropFirst())
  }

  static func lineMatches(_ line: String, _ pattern: String) -> Bool {
    let parts = pattern.components(separatedBy: "…")
    guard parts.count > 1 else { return line == pattern }
    guard line.hasPrefix(parts[0]), line.hasSuffix(parts[parts.count - 1]) else { return false }
    var rest = line.dropFirst(parts[0].count)
    for part in parts.dropFirst().dropLast() {
      guard let range = rest.range(of: part) else { return false }
      rest = rest[range.upperBound...]
    }
    return rest.count >= parts[parts.count - 1].count
  }

  /// A copy of the example mesh (and the test cases the README points into) in a
  /// scratch directory, with `meshc` on the PATH.
  static func workspace() throws -> URL {
    let root = try Fixtures.makeTemporaryDirectory("readme")
    let manager = FileManager.default
    for item in ["mesh.yaml", "products", "schemas", "Tests/MeshDriverTests/Cases"] {
      let target = root.appendingPathComponent(item)
      try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try manager.copyItem(at: Fixtures.packageRoot.appendingPathComponent(item), to: target)
    }
    return root
  }

  static func shell(_ command: String, in directory: URL) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exec 2>&1; " + command]
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "MESHC_DATA_DIR")
    environment["PATH"] = Fixtures.meshcBinary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
    environment["COLUMNS"] = "80"
    environment["GIT_AUTHOR_NAME"] = "you"
    environment["GIT_AUTHOR_EMAIL"] = "you@example.com"
    environment["GIT_COMMITTER_NAME"] = "you"
    environment["GIT_COMMITTER_EMAIL"] = "you@example.com"
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func theWalkthroughPrintsWhatTheREADMEShows() throws {
    let blocks = try Self.blocks()
    #expect(blocks.count >= 4, "the README has no console blocks")
    var steps = 0
    for block in blocks {
      // Each block starts from a fresh copy, so blocks do not depend on each other.
      let root = try Self.workspace()
      var directory = root
      var lastStatus: Int32 = 0
      for step in block {
        var actual: String
        if step.command.hasPrefix("cd ") {
          directory = directory.appendingPathComponent(String(step.command.dropFirst(3))).standardizedFileURL
          actual = ""
        } else if step.command == "echo $?" {
          actual = "\(lastStatus)\n"
        } else {
          (lastStatus, actual) = try Self.shell(step.command, in: directory)
        }
        var lines = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        #expect(
          Self.matches(lines[...], step.expected[...]),
          "\(step) printed:\n\(actual)\nbut the README shows:\n\(step.expected.joined(separator: "\n"))")
        steps += 1
      }
    }
    print("README walkthrough: \(steps) commands in \(blocks.count) blocks checked")
  }

  @Test func wildcardsMatchAsDocumented() {
    #expect(Self.matches(["a", "b", "c"], ["a", "…", "c"]))
    #expect(Self.matches(["a", "c"], ["a", "…", "c"]))
    #expect(!Self.matches(["a", "b"], ["a", "…", "c"]))
    #expect(Self.lineMatches("compared with HEAD (f25f94a00e)", "compared with HEAD (…)"))
    #expect(!Self.lineMatches("compared with main", "compared with HEAD (…)"))
    #expect(Self.lineMatches("abc", "a…b…c"))
    #expect(!Self.lineMatches("ac", "a…b…c"))
  }
}
