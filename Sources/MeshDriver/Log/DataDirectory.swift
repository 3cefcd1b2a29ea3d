import Foundation

/// Where the log lives, decided as DESIGN.md says: `--data-dir`, else `MESHC_DATA_DIR`,
/// else `.meshc/` in the mesh root (the nearest directory at or above the working
/// directory that holds `mesh.yaml`), else `.meshc/` in the working directory.
public enum DataDirectory {
  public static let defaultName = ".meshc"
  public static let meshFile = "mesh.yaml"
  public static let environmentVariable = "MESHC_DATA_DIR"

  public static func resolve(
    option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    workingDirectory: String = FileManager.default.currentDirectoryPath
  ) -> String {
    if let option, !option.isEmpty { return absolute(option, in: workingDirectory) }
    if let variable = environment[environmentVariable], !variable.isEmpty {
      return absolute(variable, in: workingDirectory)
    }
    return (meshRoot(from: workingDirectory) ?? workingDirectory) + "/" + defaultName
  }

  /// The nearest directory at or above `start` holding `mesh.yaml`.
  public static func meshRoot(from start: String) -> String? {
    var directory = URL(fileURLWithPath: start).standardizedFileURL
    while true {
      if FileManager.default.fileExists(atPath: directory.appendingPathComponent(meshFile).path) {
        return directory.path
      }
      let parent = directory.deletingLastPathComponent()
      if parent.path == directory.path { return nil }
      directory = parent
    }
  }

  private static func absolute(_ path: String, in directory: String) -> String {
    path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
  }
}
