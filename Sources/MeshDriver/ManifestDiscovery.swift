import Foundation

/// Finds the YAML files a command should read under the paths it was given.
enum ManifestDiscovery {
  /// Directories never searched: the log's data, build products, version control.
  static func isSkipped(_ name: String) -> Bool {
    name.hasPrefix(".") || name == "node_modules"
  }

  static func isYAML(_ url: URL) -> Bool {
    ["yaml", "yml"].contains(url.pathExtension.lowercased())
  }

  /// YAML files under `paths` in a stable order (`mesh.yaml` files excluded), and the
  /// paths that do not exist.
  static func yamlFiles(under paths: [URL]) -> (files: [URL], missing: [URL]) {
    var files: [URL] = []
    var missing: [URL] = []
    let manager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
        missing.append(path)
        continue
      }
      guard isDirectory.boolValue else {
        files.append(path)
        continue
      }
      var pending = [path]
      while let directory = pending.popLast() {
        let entries =
          (try? manager.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
        for entry in entries where !isSkipped(entry.lastPathComponent) {
          let entryIsDirectory = (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
          if entryIsDirectory {
            pending.append(entry)
          } else if isYAML(entry), entry.lastPathComponent != MeshRoot.configName {
            files.append(entry)
          }
        }
      }
    }
    var seen = Set<String>()
    let unique = files.map(\.standardizedFileURL).filter { seen.insert($0.path).inserted }
    return (unique.sorted { $0.path < $1.path }, missing)
  }
}
