import Foundation
import MeshPlanner

/// The mesh's files on disk, for the planner's passes: paths resolve against the mesh
/// root and show relative to the current directory.
struct DiskMeshFiles: MeshFiles {
  let root: MeshRoot
  let display: DisplayPath

  func displayPath(_ meshPath: String) -> String { display(root.resolve(meshPath)) }

  func isFile(_ meshPath: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: root.resolve(meshPath).path, isDirectory: &isDirectory)
      && !isDirectory.boolValue
  }

  func read(_ meshPath: String) -> [UInt8]? {
    FileManager.default.contents(atPath: root.resolve(meshPath).path).map { [UInt8]($0) }
  }
}
