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
            // A directory with its own mesh.yaml is another mesh (a fixture, a vendored
            // mesh): it is validated on its own, not as part of this one.
            let nestedMesh = entry.appendingPathComponent(MeshRoot.configName)
            if !manager.fileExists(atPath: nestedMesh.path) { pending.append(entry) }
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

  /// The same choice over a list of paths relative to the mesh root (a commit's files,
  /// for `compat --base`): YAML files other than `mesh.yaml`, outside skipped
  /// directories and outside nested meshes.
  static func manifestPaths(in paths: [String]) -> [String] {
    let nestedMeshes = Set(
      paths.filter { $0.hasSuffix("/" + MeshRoot.configName) }.map { String($0.dropLast(MeshRoot.configName.count)) })
    return paths.filter { path in
      let components = path.split(separator: "/")
      guard let name = components.last, isYAML(URL(fileURLWithPath: String(name))), name != MeshRoot.configName else {
        return false
      }
      if components.dropLast().contains(where: { isSkipped(String($0)) }) { return false }
      return !nestedMeshes.contains { path.hasPrefix($0) }
    }
  }
}
