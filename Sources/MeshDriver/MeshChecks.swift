import Foundation
import MeshDiagnostics
import MeshManifest

/// Checks that span products: unique ids, references between products, schema files,
/// and the mesh's governance policies.
enum MeshChecks {
  static func run(_ mesh: inout LoadedMesh) {
    var diagnostics = Diagnostics()
    var byID: [String: LoadedProduct] = [:]
    // Products outside the paths asked for count as "first" definitions, so a copy
    // elsewhere in the mesh is caught whichever file is validated.
    for loaded in mesh.context where byID[loaded.product.id] == nil { byID[loaded.product.id] = loaded }
    for loaded in mesh.products {
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
    var schemas = SchemaLoader(root: mesh.root, display: mesh.display)
    for loaded in mesh.products {
      checkInputs(loaded.product, byID: byID, into: &diagnostics)
      checkSchemaFiles(loaded.product, root: mesh.root, into: &diagnostics)
      for reference in schemaReferences(loaded.product) { _ = schemas.load(reference) }
      if let config = mesh.config { checkGovernance(loaded.product, config.governance, into: &diagnostics) }
    }
    mesh.diagnostics.append(contentsOf: diagnostics)
    mesh.diagnostics.append(contentsOf: schemas.diagnostics)
    for file in schemas.sources.all { mesh.sources.add(file) }
  }

  /// Every schema a product names: its file inputs' and its ports'.
  static func schemaReferences(_ product: DataProduct) -> [SchemaReference] {
    var references: [SchemaReference] = []
    for input in product.inputs {
      if case .files(let source) = input.source, let schema = source.schema { references.append(schema) }
    }
    return references + product.outputs.compactMap(\.schema)
  }

  static func checkInputs(_ product: DataProduct, byID: [String: LoadedProduct], into diagnostics: inout Diagnostics) {
    for input in product.inputs {
      guard case .port(let reference) = input.source else { continue }
      guard let upstream = byID[reference.product.value]?.product else {
        diagnostics.error(
          .unknownProduct,
          "input '\(input.name.value)' reads product '\(reference.product.value)', which does not exist",
          at: reference.product.range, help: Suggestion.didYouMean(reference.product.value, among: byID.keys))
        continue
      }
      guard upstream.output(named: reference.port.value) != nil else {
        let ports = upstream.outputs.map(\.name.value)
        diagnostics.error(
          .unknownProductPort, "product '\(upstream.id)' has no output port '\(reference.port.value)'",
          at: reference.port.range,
          help: Suggestion.didYouMean(reference.port.value, among: ports)
            ?? "its ports: \(ports.joined(separator: ", "))")
        continue
      }
      switch upstream.metadata.lifecycle.value {
      case .retired:
        diagnostics.error(
          .readsRetiredProduct, "input '\(input.name.value)' reads '\(upstream.id)', which is retired",
          at: reference.product.range, help: "read its successor, or ask its owner to keep it published")
      case .deprecated:
        diagnostics.warning(
          .readsDeprecatedProduct, "input '\(input.name.value)' reads '\(upstream.id)', which is deprecated",
          at: reference.product.range, help: "plan a move before the product is retired")
      default: break
      }
    }
  }

  static func checkSchemaFiles(_ product: DataProduct, root: MeshRoot, into diagnostics: inout Diagnostics) {
    for case .file(let path) in schemaReferences(product) {
      let url = root.resolve(path.value)
      var isDirectory: ObjCBool = false
      if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) || isDirectory.boolValue {
        diagnostics.error(
          .schemaFileMissing, "schema file '\(path.value)' does not exist", at: path.range,
          help: "schema paths are relative to the mesh root, the directory that holds mesh.yaml")
      }
    }
  }

  static func checkGovernance(_ product: DataProduct, _ governance: Governance, into diagnostics: inout Diagnostics) {
    let metadata = product.metadata
    for required in governance.requiredMetadata {
      let present: Bool
      switch required.value {
      case "description": present = metadata.description != nil
      case "owner.email": present = metadata.owner?.email != nil
      case "tags": present = !metadata.tags.isEmpty
      case "docs": present = metadata.docs != nil
      case "alignment": present = metadata.alignment != nil
      default: present = true
      }
      if !present {
        diagnostics.error(
          .missingRequiredMetadata, "product '\(product.id)' lacks '\(required.value)', which the mesh requires",
          at: SourceRange(file: metadata.range.file, at: metadata.range.start),
          notes: [Diagnostic.Note("required by the mesh's governance here", at: required.range)])
      }
    }
    let domains = governance.domains.map(\.value)
    if !domains.isEmpty, !domains.contains(metadata.domain.value) {
      diagnostics.error(
        .domainNotAllowed, "domain '\(metadata.domain.value)' is not one of the mesh's domains",
        at: metadata.domain.range,
        help: Suggestion.didYouMean(metadata.domain.value, among: domains)
          ?? "the mesh's domains: \(domains.joined(separator: ", "))")
    }
  }
}
