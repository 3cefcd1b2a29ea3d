import Foundation
import MeshDiagnostics
import MeshPlanner
import MeshSchema

/// The versions of the mesh's manifests and schemas in git history.
struct SchemaHistory {
  /// A port's schema at one commit of the history.
  struct Version {
    var schema: Schema
    /// The commit it was read at; nil when git could not describe it.
    var commit: GitCommit?
  }

  let repository: GitRepository
  let root: MeshRoot
  let base: String
  /// The mesh root relative to the repository, "" at its top.
  let rootPath: String
  private var productsByCommit: [String: [LoadedProduct]] = [:]

  init(repository: GitRepository, root: MeshRoot, base: String) {
    self.repository = repository
    self.root = root
    self.base = base
    rootPath = repository.relativePath(of: root.directory) ?? ""
  }

  /// Every product defined at a commit, decoded from the manifests there; each one's
  /// `displayPath` is its file's path relative to the mesh root. Files that do not
  /// decode at that commit contribute nothing: history is not validated.
  mutating func products(at commit: String) -> [LoadedProduct] {
    if let cached = productsByCommit[commit] { return cached }
    var scratch = LoadedMesh(root: root, display: DisplayPath(currentDirectory: root.directory), config: nil)
    let files = ((try? repository.files(under: rootPath, at: commit)) ?? []).map {
      rootPath.isEmpty ? $0 : String($0.dropFirst(rootPath.count + 1))
    }
    // The files `validate` would read in a checkout of that commit: nested meshes (test
    // fixtures, vendored meshes) are not part of this one.
    for meshPath in ManifestDiscovery.manifestPaths(in: files) {
      let path = rootPath.isEmpty ? meshPath : "\(rootPath)/\(meshPath)"
      guard let bytes = try? repository.file(path, at: commit) else { continue }
      MeshLoader.decodeProducts(SourceFile(path: meshPath, bytes: bytes), warnIfNone: false, into: &scratch)
    }
    productsByCommit[commit] = scratch.products
    return scratch.products
  }

  /// The port's schema at the base, or at every commit up to it that changed the mesh's
  /// manifests or schemas (oldest first, consecutive duplicates removed, each with the
  /// first commit that had it).
  mutating func versions(product: String, port: String, transitive: Bool) -> [Version] {
    guard transitive else {
      return schema(product: product, port: port, at: base).map { [Version(schema: $0, commit: nil)] } ?? []
    }
    let commits =
      (try? repository.commits(touching: [rootPath.isEmpty ? "." : rootPath], upTo: base))
      ?? [GitCommit(id: base, shortID: String(base.prefix(10)), date: "", subject: "")]
    var found: [Version] = []
    for commit in commits {
      guard let schema = schema(product: product, port: port, at: commit.id) else { continue }
      if found.last?.schema.canonicalForm != schema.canonicalForm {
        found.append(Version(schema: schema, commit: commit))
      }
    }
    return found
  }

  private mutating func schema(product: String, port: String, at commit: String) -> Schema? {
    guard let loaded = products(at: commit).first(where: { $0.product.id == product }),
      let reference = loaded.product.output(named: port)?.schema
    else { return nil }
    var loader = SchemaLoader(files: GitMeshFiles(repository: repository, commit: commit, rootPath: rootPath))
    return loader.load(reference)
  }
}
