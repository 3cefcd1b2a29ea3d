import Foundation
import MeshBytes
import MeshDiagnostics
import MeshLog
import MeshManifest

/// Where the log lives and the defaults of its topics, decided as DESIGN.md says:
/// `--data-dir`, else `MESHC_DATA_DIR`, else `defaults.dataDir` of `mesh.yaml` (relative
/// to the mesh root), else `.meshc/` in the mesh root — the nearest directory at or above
/// the working directory that holds `mesh.yaml`, or the working directory when none does.
/// `defaults.retention` of `mesh.yaml` is the retention of topics created without one.
public enum DataDirectory {
  public static let defaultName = ".meshc"
  public static let environmentVariable = "MESHC_DATA_DIR"

  /// What the mesh configuration says about the log.
  public struct MeshSettings: Sendable {
    /// The data directory `mesh.yaml` names, absolute; nil when it names none.
    public var dataDirectory: String?
    /// The default retention of new topics; nil when `mesh.yaml` sets none.
    public var retention: Retention<TimeSpan>?
    public var root: String
  }

  public static func resolve(
    option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    workingDirectory: String = FileManager.default.currentDirectoryPath
  ) -> String {
    if let option, !option.isEmpty { return absolute(option, in: workingDirectory) }
    if let variable = environment[environmentVariable], !variable.isEmpty {
      return absolute(variable, in: workingDirectory)
    }
    let settings = meshSettings(workingDirectory: workingDirectory)
    return settings.dataDirectory ?? absolute(defaultName, in: settings.root)
  }

  /// Reads `mesh.yaml` above `workingDirectory`, if there is one. A file that does not
  /// decode contributes nothing (`meshc validate` reports it).
  public static func meshSettings(workingDirectory: String) -> MeshSettings {
    let start = URL(fileURLWithPath: workingDirectory)
    let root = MeshRoot.find(from: start, fallback: start)
    var settings = MeshSettings(dataDirectory: nil, retention: nil, root: root.directory.path)
    guard let file = root.configFile, let data = FileManager.default.contents(atPath: file.path) else {
      return settings
    }
    var mesh = LoadedMesh(root: root, display: DisplayPath(currentDirectory: start), config: nil)
    guard let config = MeshLoader.decodeConfig(SourceFile(path: file.path, bytes: [UInt8](data)), into: &mesh) else {
      return settings
    }
    if let dataDir = config.defaults.dataDir?.value, !dataDir.isEmpty {
      settings.dataDirectory = absolute(dataDir, in: root.directory.path)
    }
    settings.retention = config.defaults.retention?.value
    return settings
  }

  private static func absolute(_ path: String, in directory: String) -> String {
    path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
  }
}
