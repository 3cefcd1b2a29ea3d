public import MeshManifest

/// The resolve pass: unique product ids, references between products, schema files,
/// and the schemas themselves, parsed once each and kept per product. Pure: files are
/// read only through `files`.
public enum MeshResolver {
  /// Resolves `products` (the ones asked for, reported on) against themselves and
  /// `context` (the rest of the mesh: read so references resolve, never reported on).
  /// With a `config`, its governance is checked too.
  public static func resolve(
    products: [LoadedProduct], context: [LoadedProduct] = [], config: MeshConfig? = nil, files: any MeshFiles
  ) -> ResolvedMesh {
    var mesh = ResolvedMesh()
    mesh.productsByID = ProductIndex.build(products: products, context: context, into: &mesh.diagnostics)
    var schemas = SchemaLoader(files: files)
    for loaded in products {
      let product = loaded.product
      ReferenceCheck.check(product, byID: mesh.productsByID, into: &mesh.diagnostics)
      SchemaFileCheck.check(product, files: files, into: &mesh.diagnostics)
      var resolved = ResolvedProduct(loaded: loaded)
      let named = product.namedSchemas
      for (name, reference) in named.inputs {
        if let schema = schemas.load(reference), resolved.inputSchemas[name] == nil {
          resolved.inputSchemas[name] = schema
        }
      }
      for (name, reference) in named.ports {
        if let schema = schemas.load(reference), resolved.portSchemas[name] == nil {
          resolved.portSchemas[name] = schema
        }
      }
      if let config { GovernanceCheck.check(product, config.governance, into: &mesh.diagnostics) }
      mesh.products.append(resolved)
    }
    mesh.diagnostics.append(contentsOf: schemas.diagnostics)
    mesh.sources = schemas.sources
    resolveUpstreamSchemas(&mesh, files: files)
    return mesh
  }

  /// A port input's schema is its upstream port's: taken from the products resolved
  /// above, else read quietly (problems of products outside the paths asked for are
  /// not reported).
  private static func resolveUpstreamSchemas(_ mesh: inout ResolvedMesh, files: any MeshFiles) {
    var quiet = SchemaLoader(files: files)
    let resolvedByID = Dictionary(mesh.products.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    for index in mesh.products.indices {
      for input in mesh.products[index].loaded.product.inputs {
        guard case .port(let reference) = input.source,
          mesh.products[index].inputSchemas[input.name.value] == nil,
          let upstream = mesh.productsByID[reference.product.value]
        else { continue }
        let schema =
          resolvedByID[upstream.product.id]?.portSchemas[reference.port.value]
          ?? upstream.product.output(named: reference.port.value)?.schema.flatMap { quiet.load($0) }
        if let schema { mesh.products[index].inputSchemas[input.name.value] = schema }
      }
    }
  }
}
