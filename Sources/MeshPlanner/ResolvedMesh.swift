public import MeshDiagnostics
public import MeshPlan

/// What the resolve and governance passes make of a mesh: each product asked for with
/// its schemas, every product references resolve against, the schema files read (for
/// snippets), the products' plans and the passes' findings.
public struct ResolvedMesh: Sendable {
  /// The products asked for, in the order given.
  public var products: [ResolvedProduct] = []
  /// Every product by id, those outside the paths asked for included; the first
  /// definition wins when an id is defined twice.
  public var productsByID: [String: LoadedProduct] = [:]
  /// The logical plan of each product asked for, in the same order.
  public var plans: [ProductPlan] = []
  public var sources = SourceFiles()
  public var diagnostics = Diagnostics()

  public init() {}

  public func product(_ id: String) -> ResolvedProduct? { products.first { $0.id == id } }
}
