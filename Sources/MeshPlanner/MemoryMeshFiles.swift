/// A mesh's files held in memory, keyed by their path relative to the mesh root: what
/// tests and fixture runners hand to the passes instead of a directory.
package struct MemoryMeshFiles: MeshFiles, Sendable {
  package var files: [String: [UInt8]]

  package init(_ files: [String: [UInt8]]) {
    self.files = [:]
    for (path, bytes) in files { self.files[Self.normalize(path)] = bytes }
  }

  package init(texts: [String: String]) {
    self.init(texts.mapValues { Array($0.utf8) })
  }

  package func displayPath(_ meshPath: String) -> String { Self.normalize(meshPath) }

  package func isFile(_ meshPath: String) -> Bool { files[Self.normalize(meshPath)] != nil }

  package func read(_ meshPath: String) -> [UInt8]? { files[Self.normalize(meshPath)] }

  /// `./a/../b//c` → `b/c`, as a file system would resolve it under the root.
  static func normalize(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." {
      if part == ".." {
        _ = parts.popLast()
      } else {
        parts.append(part)
      }
    }
    return parts.joined(separator: "/")
  }
}
