public import MeshSchema

/// A product after resolution: its manifest and the parsed schemas it names, which the
/// type checker starts from.
public struct ResolvedProduct: Sendable {
  public var loaded: LoadedProduct
  /// By input name: the schema a file input names, or the schema of the upstream port a
  /// port input reads. Missing when it is absent, unreadable or invalid (reported).
  public var inputSchemas: [String: Schema] = [:]
  /// By output port name: the port's schema (its contract).
  public var portSchemas: [String: Schema] = [:]

  public init(loaded: LoadedProduct) {
    self.loaded = loaded
  }

  public var id: String { loaded.product.id }
}
