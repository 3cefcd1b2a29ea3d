import Foundation
public import Testing

/// Paths tests need: the package root, the shared conformance suites, scratch folders.
public enum Fixtures {
  /// The package root, found from this source file's path.
  public static let packageRoot: URL = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }()

  /// `../shared/conformance` beside the clone; `MESHC_CONFORMANCE` overrides it.
  public static let conformanceRoot: URL = {
    if let path = ProcessInfo.processInfo.environment["MESHC_CONFORMANCE"] {
      return URL(fileURLWithPath: path)
    }
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")
  }()

  /// Whether the conformance suites can run: they are at `conformanceRoot`, or
  /// `MESHC_CONFORMANCE` names a place (then a missing suite fails rather than skips).
  public static let conformanceAvailable: Bool = {
    ProcessInfo.processInfo.environment["MESHC_CONFORMANCE"] != nil
      || FileManager.default.fileExists(atPath: conformanceRoot.appendingPathComponent("avro").path)
  }()

  /// What a skipped conformance suite says.
  public static let conformanceSkipped: Comment = """
    conformance suites skipped: \(conformanceRoot.path) does not exist; set MESHC_CONFORMANCE to the \
    folder holding avro/ and yaml-test-suite/ (shared/conformance beside the clone) to run them
    """

  /// A fresh empty directory, inside one folder per test process that is removed when
  /// the process exits, so that no test leaves directories behind (even one that fails
  /// before its own clean-up).
  public static func makeTemporaryDirectory(_ label: String = "meshc-test") throws -> URL {
    let url = processScratch.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// `meshc-tests-<pid>` in the system's temporary directory, removed at exit.
  public static let processScratch: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "meshc-tests-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: url)
    atexit {
      try? FileManager.default.removeItem(at: Fixtures.processScratch)
    }
    return url
  }()

  /// The built `meshc` binary next to the test bundle.
  public static var meshcBinary: URL {
    var directory = Bundle.main.bundleURL
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("meshc")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return packageRoot.appendingPathComponent(".build/debug/meshc")
  }
}
