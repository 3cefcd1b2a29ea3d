/// The files a run has read, by the path its diagnostics name, so that renderers can
/// quote the offending line.
public struct SourceFiles: Sendable {
  private var byPath: [String: SourceFile] = [:]

  public init(_ files: [SourceFile] = []) {
    for file in files { add(file) }
  }

  public mutating func add(_ file: SourceFile) { byPath[file.path] = file }

  public subscript(path: String) -> SourceFile? { byPath[path] }

  public var all: [SourceFile] { byPath.values.sorted { $0.path < $1.path } }
}
