import Foundation
import MeshConnectors
import MeshDiagnostics
import MeshManifest
import MeshPlanner

extension MeshDriver {
  /// `meshc sample [--orders N]`: writes deterministic input files for the example mesh's
  /// file inputs (sales.orders, inventory.stock, customers.profiles) where their globs
  /// look, and says what it wrote.
  public static func sample(orders: Int, currentDirectory: URL? = nil) -> Report {
    var report = Report()
    guard orders > 0 else {
      report.usage(.conflictingOptions, "invalid --orders \(orders): expected at least 1", at: nil)
      return report
    }
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let (mesh, _) = MeshLoader.load(paths: ["."], currentDirectory: cwd)
    var data = SampleData(orders: orders)
    var written: [String] = []
    func directory(_ product: String, _ input: String) -> URL? {
      guard let resolved = mesh.resolved.product(product),
        let found = resolved.loaded.product.inputs.first(where: { $0.name.value == input }),
        case .files(let files) = found.source
      else { return nil }
      return mesh.root.directory.appendingPathComponent(PathGlob(files.path.value).baseDirectory)
    }
    do {
      if let folder = directory("sales.orders", "raw") {
        for file in data.orderFiles() { try write(Data(file.text.utf8), file.name, in: folder, &written, root: mesh) }
      }
      if let folder = directory("inventory.stock", "counts") {
        for file in data.stockFiles() { try write(Data(file.text.utf8), file.name, in: folder, &written, root: mesh) }
      }
      if let folder = directory("customers.profiles", "raw_changes"),
        let schema = mesh.resolved.product("customers.profiles")?.inputSchemas["raw_changes"]
      {
        for file in try data.customerFiles(schema: schema) {
          try write(Data(file.bytes), file.name, in: folder, &written, root: mesh)
        }
      }
    } catch {
      report.diagnostics.error(.fileUnreadable, "writing sample data: \(error)", at: nil)
      return report
    }
    guard !written.isEmpty else {
      report.diagnostics.error(
        .productNotFound, "no input of the example mesh here (sales.orders, inventory.stock, customers.profiles)",
        at: nil, help: "run meshc sample in the example mesh's root")
      return report
    }
    report.summary = "wrote \(written.count) files: \(written.joined(separator: ", "))\n"
    return report
  }

  private static func write(
    _ data: Data, _ name: String, in folder: URL, _ written: inout [String], root: LoadedMesh
  )
    throws
  {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try data.write(to: url, options: .atomic)
    written.append(String(url.path.dropFirst(root.root.directory.path.count + 1)))
  }
}
