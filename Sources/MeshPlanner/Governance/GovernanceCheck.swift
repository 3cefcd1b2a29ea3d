import MeshDiagnostics
import MeshManifest

/// The governance pass: the mesh's federated policies that every product follows —
/// required metadata and the allowed domains.
enum GovernanceCheck {
  static func check(_ product: DataProduct, _ governance: Governance, into diagnostics: inout Diagnostics) {
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
