import MeshDiagnostics

/// The unique-id pass: every product by id, and an error for each id defined twice.
enum ProductIndex {
  /// Products outside the paths asked for (`context`) count as first definitions, so a
  /// copy elsewhere in the mesh is caught whichever file is checked.
  static func build(
    products: [LoadedProduct], context: [LoadedProduct], into diagnostics: inout Diagnostics
  ) -> [String: LoadedProduct] {
    var byID: [String: LoadedProduct] = [:]
    for loaded in context where byID[loaded.product.id] == nil { byID[loaded.product.id] = loaded }
    for loaded in products {
      let product = loaded.product
      if let first = byID[product.id] {
        diagnostics.error(
          .duplicateProduct, "product '\(product.id)' is defined twice", at: product.metadata.name.range,
          help: "product ids (domain.name) are unique across the mesh",
          notes: [Diagnostic.Note("first defined here", at: first.product.metadata.name.range)])
      } else {
        byID[product.id] = loaded
      }
    }
    return byID
  }
}
