import Foundation
import MeshDiagnostics
import MeshManifest
import MeshSchema

extension MeshDriver {
  /// `meshc compat --base REF [PATH…]`: every output port's schema now against the same
  /// port's schema at `base` (and, for `_TRANSITIVE` modes, every earlier version in the
  /// history), read from git without a checkout.
  public static func compat(base: String, paths: [String], currentDirectory: URL? = nil) -> Report {
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let (mesh, missing) = MeshLoader.load(paths: paths, currentDirectory: cwd)
    var report = Report(diagnostics: mesh.diagnostics, sources: mesh.sources, usageFailure: !missing.isEmpty)
    guard !mesh.diagnostics.hasErrors else { return report }
    guard let repository = GitRepository(containing: mesh.root.directory) else {
      report.diagnostics.error(
        .gitFailure, "the mesh at '\(mesh.root.directory.path)' is not in a git repository", at: nil,
        help: "--base compares with a git ref; use --old and --new to compare two files")
      report.usageFailure = true
      return report
    }
    let commit: String
    do {
      commit = try repository.commit(base)
    } catch {
      report.diagnostics.error(.gitFailure, "unknown git ref '\(base)'", at: nil, help: "\(error)")
      report.usageFailure = true
      return report
    }
    var history = SchemaHistory(repository: repository, root: mesh.root, base: commit)
    var checked = 0
    var breaking = 0
    let baseProducts = history.products(at: commit)
    let current = Dictionary(mesh.products.map { ($0.product.id, $0) }, uniquingKeysWith: { first, _ in first })
    let defaultMode = mesh.config?.defaults.compatibility?.value ?? .backward
    for loaded in mesh.products {
      let product = loaded.product
      for port in product.outputs {
        guard let reference = port.schema else { continue }
        let mode = port.compatibility?.value ?? defaultMode
        var loader = SchemaLoader(root: mesh.root, display: mesh.display)
        guard let newSchema = loader.load(reference) else { continue }
        for file in loader.sources.all { report.sources.add(file) }
        let earlier = history.versions(product: product.id, port: port.name.value, transitive: mode.isTransitive)
        guard !earlier.isEmpty else { continue }
        checked += 1
        let problems = CompatibilityChecker.check(new: newSchema, earlier: earlier, mode: mode)
        breaking += problems.count
        for problem in problems {
          report.diagnostics.append(
            Diagnostic(
              problem.code,
              "port '\(product.id).\(port.name.value)' (\(mode.rawValue)): \(problem.path): \(problem.message)",
              at: problem.newSchemaRange ?? reference.range, help: problem.help))
        }
      }
    }
    for old in baseProducts where old.product.metadata.lifecycle.value == .published {
      for port in old.product.outputs where current[old.product.id]?.product.output(named: port.name.value) == nil {
        breaking += 1
        let now = current[old.product.id]?.product
        report.diagnostics.error(
          .removedPort,
          now == nil
            ? "product '\(old.product.id)' was removed, and with it port '\(port.name.value)', while published at \(base)"
            : "port '\(old.product.id).\(port.name.value)' was removed while the product is published",
          at: now.map { SourceRange(file: current[old.product.id]?.displayPath ?? "", at: $0.metadata.range.start) }
            ?? port.name.range,
          help: "mark the product 'lifecycle: deprecated' first and remove the port once its consumers have moved")
      }
    }
    let compared = "\(checked) port\(checked == 1 ? "" : "s") compared with \(base) (\(commit.prefix(10)))"
    report.summary =
      breaking == 0
      ? "compatible: \(compared)" : "\(breaking) breaking change\(breaking == 1 ? "" : "s"): \(compared)"
    report.jsonFields = [
      ("compatible", breaking == 0 ? "true" : "false"), ("base", JSONWriter.quote(commit)),
      ("portsChecked", "\(checked)"),
    ]
    return report
  }
}

/// The versions of the mesh's manifests and schemas in git history.
struct SchemaHistory {
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

  func repositoryPath(_ meshPath: String) -> String { rootPath.isEmpty ? meshPath : "\(rootPath)/\(meshPath)" }

  /// Every product defined at a commit, decoded from the manifests there. Files that
  /// do not decode at that commit contribute nothing: history is not validated.
  mutating func products(at commit: String) -> [LoadedProduct] {
    if let cached = productsByCommit[commit] { return cached }
    var scratch = LoadedMesh(root: root, display: DisplayPath(currentDirectory: root.directory), config: nil)
    let files = ((try? repository.files(under: rootPath, at: commit)) ?? []).map {
      rootPath.isEmpty ? $0 : String($0.dropFirst(rootPath.count + 1))
    }
    // The files `validate` would read in a checkout of that commit: nested meshes (test
    // fixtures, vendored meshes) are not part of this one.
    for meshPath in ManifestDiscovery.manifestPaths(in: files) {
      guard let bytes = try? repository.file(repositoryPath(meshPath), at: commit) else { continue }
      MeshLoader.decodeProducts(SourceFile(path: meshPath, bytes: bytes), warnIfNone: false, into: &scratch)
    }
    productsByCommit[commit] = scratch.products
    return scratch.products
  }

  /// The port's schema at the base, or at every commit up to it that changed the mesh's
  /// manifests or schemas (oldest first, consecutive duplicates removed).
  mutating func versions(product: String, port: String, transitive: Bool) -> [Schema] {
    guard transitive else { return schema(product: product, port: port, at: base).map { [$0] } ?? [] }
    let commits = (try? repository.commits(touching: [rootPath.isEmpty ? "." : rootPath], upTo: base)) ?? [base]
    var found: [Schema] = []
    for commit in commits {
      guard let schema = schema(product: product, port: port, at: commit) else { continue }
      if found.last?.canonicalForm != schema.canonicalForm { found.append(schema) }
    }
    return found
  }

  private mutating func schema(product: String, port: String, at commit: String) -> Schema? {
    guard let loaded = products(at: commit).first(where: { $0.product.id == product }),
      let reference = loaded.product.output(named: port)?.schema
    else { return nil }
    switch reference {
    case .inline(let node):
      var diagnostics = Diagnostics()
      return SourceValue.from(node, diagnostics: &diagnostics).flatMap { Schema.parse($0).schema }
    case .file(let path):
      guard let bytes = try? repository.file(repositoryPath(path.value), at: commit) else { return nil }
      return Schema.parse(SourceFile(path: "\(commit.prefix(10)):\(path.value)", bytes: bytes)).schema
    }
  }
}
