import MeshDiagnostics
import MeshManifest

/// The schema-files pass: every `.avsc` path a product names is a file under the root.
enum SchemaFileCheck {
  static func check(_ product: DataProduct, files: any MeshFiles, into diagnostics: inout Diagnostics) {
    for case .file(let path) in product.schemaReferences where !files.isFile(path.value) {
      diagnostics.error(
        .schemaFileMissing, "schema file '\(path.value)' does not exist", at: path.range,
        help: "schema paths are relative to the mesh root, the directory that holds mesh.yaml")
    }
  }
}
