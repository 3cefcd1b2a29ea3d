import MeshDiagnostics
import MeshManifest

/// The references pass: each port input names a product that exists, a port it has,
/// and an upstream that is not retired (an error) or deprecated (a warning).
enum ReferenceCheck {
  static func check(_ product: DataProduct, byID: [String: LoadedProduct], into diagnostics: inout Diagnostics) {
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
}
