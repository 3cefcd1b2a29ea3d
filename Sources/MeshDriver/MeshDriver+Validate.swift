import Foundation
import MeshDiagnostics

extension MeshDriver {
  /// `meshc validate`: parse, decode and check every manifest under `paths`.
  public static func validate(paths: [String], currentDirectory: URL? = nil) -> Report {
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let (mesh, missing) = MeshLoader.load(paths: paths, currentDirectory: cwd)
    let ids = mesh.products.map(\.product.id).sorted()
    let domains = Set(mesh.products.map(\.product.metadata.domain.value))
    let plural = { (count: Int, word: String) in "\(count) \(word)\(count == 1 ? "" : "s")" }
    let summary = "validated \(plural(ids.count, "product")) in \(plural(domains.count, "domain"))"
    let products = "[" + ids.map(JSONWriter.quote).joined(separator: ",") + "]"
    return Report(
      diagnostics: mesh.diagnostics, sources: mesh.sources, summary: summary,
      jsonFields: [("products", products)], usageFailure: !missing.isEmpty)
  }
}
