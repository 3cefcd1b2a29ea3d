import Foundation

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

  /// A fresh empty directory under the system's temporary directory.
  public static func makeTemporaryDirectory(_ label: String = "meshc-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

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
