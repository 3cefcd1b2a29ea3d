import Foundation
import MeshTestSupport
import Testing

/// Runs the built `meshc` binary and captures what it prints.
enum Meshc {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String

    func json() throws -> [String: Any] {
      let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
      return object as? [String: Any] ?? [:]
    }
  }

  static func run(
    _ arguments: [String], in directory: URL, input: Data? = nil, environment: [String: String] = [:]
  ) throws -> Result {
    let process = Process()
    process.executableURL = Fixtures.meshcBinary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    // A data directory set for the developer's shell must not leak into tests.
    var inherited = ProcessInfo.processInfo.environment
    inherited.removeValue(forKey: "MESHC_DATA_DIR")
    process.environment = inherited.merging(environment) { _, new in new }
    let output = Pipe()
    let errors = Pipe()
    let standardInput = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = standardInput
    try process.run()
    if let input { standardInput.fileHandleForWriting.write(input) }
    try standardInput.fileHandleForWriting.close()
    // Drain stderr on another thread so neither pipe can fill up and block the child.
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errorData, as: UTF8.self))
  }
}

/// Compares output with a golden file; `MESHC_UPDATE_GOLDEN=1` rewrites it.
enum Golden {
  static func check(_ actual: String, _ url: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["MESHC_UPDATE_GOLDEN"] == "1" {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try actual.write(to: url, atomically: true, encoding: .utf8)
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    #expect(
      actual == expected, "golden file \(url.lastPathComponent) differs; MESHC_UPDATE_GOLDEN=1 rewrites it",
      sourceLocation: sourceLocation)
  }
}
