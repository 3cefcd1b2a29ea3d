import MeshPlanner

/// The mesh's files as they were at a commit, read from git without a checkout, for
/// the planner's schema loading in `compat --base`. Paths show as `<commit>:<path>`.
struct GitMeshFiles: MeshFiles {
  let repository: GitRepository
  let commit: String
  /// The mesh root relative to the repository, "" at its top.
  let rootPath: String

  func repositoryPath(_ meshPath: String) -> String { rootPath.isEmpty ? meshPath : "\(rootPath)/\(meshPath)" }

  func displayPath(_ meshPath: String) -> String { "\(commit.prefix(10)):\(meshPath)" }

  func isFile(_ meshPath: String) -> Bool { read(meshPath) != nil }

  func read(_ meshPath: String) -> [UInt8]? {
    (try? repository.file(repositoryPath(meshPath), at: commit)) ?? nil
  }
}
