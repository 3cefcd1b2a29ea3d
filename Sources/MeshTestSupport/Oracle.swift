public import Foundation
public import Testing

/// The independent oracles (fastavro, pyarrow, DuckDB) in the virtual environment that
/// `scripts/oracles.sh` makes: tests hand them files and compare what they say.
public enum Oracle {
  /// `MESHC_ORACLE_PYTHON`, or the environment's python at `.venv/oracles`.
  public static let python: URL? = {
    let path =
      ProcessInfo.processInfo.environment["MESHC_ORACLE_PYTHON"]
      ?? Fixtures.packageRoot.appendingPathComponent(".venv/oracles/bin/python").path
    return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
  }()

  public static var available: Bool { python != nil }

  public static let skipped: Comment = """
    oracle tests skipped: no python with fastavro, pyarrow and duckdb at .venv/oracles \
    (run scripts/oracles.sh, or set MESHC_ORACLE_PYTHON)
    """

  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// Runs `script` with `arguments`; returns its standard output, or throws with its
  /// standard error when it fails.
  public static func run(_ script: String, _ arguments: [String] = []) throws -> String {
    guard let python else { throw Failure(description: "no oracle python") }
    let process = Process()
    process.executableURL = python
    process.arguments = ["-c", script] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Read before waiting: a full pipe would stop the child.
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(
        description: "oracle failed (\(process.terminationStatus)): \(String(decoding: err, as: UTF8.self))")
    }
    return String(decoding: out, as: UTF8.self)
  }
}
