import Foundation
import MeshConnectors
import MeshDiagnostics

extension MeshDriver {
  /// `meshc validate`: parse, decode and check every manifest under `paths`.
  public static func validate(paths: [String], currentDirectory: URL? = nil) -> Report {
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    var (mesh, missing) = MeshLoader.load(paths: paths, currentDirectory: cwd)
    warnAboutEmptyInputs(&mesh)
    let ids = mesh.products.map(\.product.id).sorted()
    let domains = Set(mesh.products.map(\.product.metadata.domain.value))
    let plural = { (count: Int, word: String) in "\(count) \(word)\(count == 1 ? "" : "s")" }
    let checked = "\(plural(ids.count, "product")) in \(plural(domains.count, "domain"))"
    // "validated" only when nothing failed (the line above counts the errors).
    let failed = mesh.diagnostics.all.contains { $0.severity == .error }
    let summary = failed ? "checked \(checked): not valid" : "validated \(checked)"
    let products = "[" + ids.map(JSONWriter.quote).joined(separator: ",") + "]"
    return Report(
      diagnostics: mesh.diagnostics, sources: mesh.sources, summary: summary,
      jsonFields: [("products", products)], usageFailure: !missing.isEmpty)
  }

  /// A file input whose path matches nothing reads nothing: likely a typo in the pattern,
  /// or data not written yet. A warning, since a mesh is often checked before its data is
  /// there (in CI); `run` says "0 files" for it.
  static func warnAboutEmptyInputs(_ mesh: inout LoadedMesh) {
    for loaded in mesh.products {
      for input in loaded.product.inputs {
        guard case .files(let files) = input.source,
          PathGlob(files.path.value).files(under: mesh.root.directory).isEmpty
        else { continue }
        mesh.diagnostics.warning(
          .inputMatchesNoFile,
          "input '\(input.name.value)' reads '\(files.path.value)', which matches no file under the mesh root yet",
          at: files.path.range,
          help: "a run reads nothing from it until files appear; the path is relative to the mesh root")
      }
    }
  }
}
