public import MeshDiagnostics

/// One decoded `kind: DataProduct` manifest. Every value keeps its source range.
/// Inputs, transforms and outputs share one namespace of step names inside a product.
public struct DataProduct: Sendable {
  public var metadata: ProductMetadata
  public var inputs: [ProductInput]
  public var transforms: [Transform]
  public var outputs: [OutputPort]
  public var serviceLevels: ServiceLevels?
  public var quality: [QualityRule]
  public var access: [AccessGrant]
  /// The whole document, for diagnostics about the product as a whole.
  public var range: SourceRange

  /// `domain.name`, the product's id across the mesh.
  public var id: String { "\(metadata.domain.value).\(metadata.name.value)" }

  public func output(named name: String) -> OutputPort? { outputs.first { $0.name.value == name } }
}

/// Who owns a product and what it is.
public struct ProductMetadata: Sendable {
  public var name: Located<String>
  public var domain: Located<String>
  public var owner: Owner?
  public var description: Located<String>?
  public var alignment: Located<Alignment>?
  public var lifecycle: Located<Lifecycle>
  public var tags: [Located<String>]
  public var docs: Located<String>?
  public var range: SourceRange
}

public struct Owner: Sendable {
  public var team: Located<String>
  public var email: Located<String>?
}

public enum Alignment: String, Sendable, CaseIterable {
  case source, aggregate, consumer
}

public enum Lifecycle: String, Sendable, CaseIterable {
  case draft, published, deprecated, retired
}
