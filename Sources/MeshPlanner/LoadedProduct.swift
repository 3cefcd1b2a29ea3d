public import MeshManifest

/// A product and the file it was decoded from.
public struct LoadedProduct: Sendable {
  public var product: DataProduct
  /// The file as shown to users (relative to the current directory when under it).
  public var displayPath: String

  public init(product: DataProduct, displayPath: String) {
    self.product = product
    self.displayPath = displayPath
  }
}
