/// How the passes read the files a manifest names (schemas today), by their path
/// relative to the mesh root. The passes never touch a file system themselves: the
/// driver passes one over the disk, tests an in-memory `MemoryMeshFiles`, `compat
/// --base` one over a git commit.
public protocol MeshFiles {
  /// The path as users see it, also the file's identity: two spellings of one file
  /// (`schemas/a.avsc`, `./schemas/a.avsc`) give the same display path.
  func displayPath(_ meshPath: String) -> String
  /// Whether a regular file (not a directory) is there.
  func isFile(_ meshPath: String) -> Bool
  /// The file's bytes, or nil when it cannot be read.
  func read(_ meshPath: String) -> [UInt8]?
}
