import Foundation
import MeshData
import MeshDiagnostics
import MeshManifest
import MeshPlanner
import MeshSchema

extension MeshDriver {
  /// `meshc compat --base REF [PATH…]`: every output port's schema of the products under
  /// `paths` now against the same port's schema at `base` (and, for `_TRANSITIVE` modes,
  /// every earlier version in the history), read from git without a checkout. The ports
  /// of products outside `paths` are not compared; references still resolve against the
  /// whole mesh.
  public static func compat(base: String, paths: [String], currentDirectory: URL? = nil) -> Report {
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let (mesh, missing) = MeshLoader.load(paths: paths, currentDirectory: cwd, reportPlanning: false)
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
    let defaultMode = mesh.config?.defaults.compatibility?.value ?? .backward
    for resolved in mesh.resolved.products {
      let product = resolved.loaded.product
      for port in product.outputs {
        guard let reference = port.schema, let newSchema = resolved.portSchemas[port.name.value] else { continue }
        let mode = port.compatibility?.value ?? defaultMode
        let earlier = history.versions(product: product.id, port: port.name.value, transitive: mode.isTransitive)
        guard !earlier.isEmpty else { continue }
        checked += 1
        let problems = CompatibilityChecker.check(new: newSchema, earlier: earlier.map(\.schema), mode: mode)
        breaking += problems.count
        for problem in problems {
          var notes: [Diagnostic.Note] = []
          if mode.isTransitive, let index = problem.earlierIndex, earlier.indices.contains(index),
            let version = earlier[index].commit
          {
            notes.append(Diagnostic.Note("incompatible with the version of commit \(version.label)"))
          }
          notes += consumerNotes(
            mesh.resolved, product: product.id, port: port.name.value, path: problem.path,
            removed: removedFields(from: earlier.last?.schema, to: newSchema))
          report.diagnostics.append(
            Diagnostic(
              problem.code,
              "port '\(product.id).\(port.name.value)' (\(mode.rawValue)): \(problem.path): \(problem.message)",
              at: problem.newSchemaRange ?? reference.range, notes: notes, help: problem.help))
        }
      }
    }
    // A port is removed when its product was under the paths at the base and the port
    // exists nowhere in the mesh now; products elsewhere are not this run's business.
    let asked = MeshLoader.absoluteURLs(paths, currentDirectory: cwd).compactMap { mesh.root.meshPath(of: $0) }
    let underPaths = { (meshPath: String) in
      asked.contains { $0.isEmpty || meshPath == $0 || meshPath.hasPrefix($0 + "/") }
    }
    for old in history.products(at: commit)
    where old.product.metadata.lifecycle.value == .published && underPaths(old.displayPath) {
      let now = mesh.product(old.product.id)
      for port in old.product.outputs where now?.product.output(named: port.name.value) == nil {
        breaking += 1
        report.diagnostics.error(
          .removedPort,
          now == nil
            ? "product '\(old.product.id)' was removed, and with it port '\(port.name.value)', while published at \(base)"
            : "port '\(old.product.id).\(port.name.value)' was removed while the product is published",
          at: now.map { SourceRange(file: $0.displayPath, at: $0.product.metadata.range.start) } ?? port.name.range,
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

  /// One note per product that reads the port: its owner, and whether it reads the
  /// field the change affects (`Order.items[].price` affects `items`).
  static func consumerNotes(
    _ mesh: ResolvedMesh, product: String, port: String, path: String, removed: Set<String>
  ) -> [Diagnostic.Note] {
    let parts = path.split(separator: ".")
    let field = parts.count > 1 ? String(parts[1].prefix { $0 != "[" && $0 != "{" }) : nil
    return mesh.consumers(ofProduct: product, port: port).map { consumer in
      let owner = consumer.owner.map { " (owner \($0.team.value)\($0.email.map { ", \($0.value)" } ?? ""))" } ?? ""
      let lost = consumer.fieldsRead.map { removed.intersection($0).sorted() } ?? []
      if !lost.isEmpty {
        let names = lost.map { "'\($0)'" }.joined(separator: ", ")
        return Diagnostic.Note(
          "consumed by \(consumer.product)\(owner), which reads \(names), gone from the new schema")
      }
      let reads: String
      switch (consumer.fieldsRead, field) {
      case (let fields?, let field?): reads = fields.contains(field) ? "reads '\(field)'" : "does not read '\(field)'"
      case (nil, _): reads = "reads the port (outside the paths compared, so its fields were not traced)"
      case (_, nil): reads = "reads the port"
      }
      return Diagnostic.Note("consumed by \(consumer.product)\(owner), which \(reads)")
    }
  }

  /// Top-level fields of the earlier schema that the new one no longer has.
  static func removedFields(from earlier: Schema?, to new: Schema) -> Set<String> {
    guard let earlier, let old = RecordSchema(avro: earlier), let now = RecordSchema(avro: new) else { return [] }
    return Set(old.fields.map(\.name)).subtracting(now.fields.map(\.name))
  }
}
