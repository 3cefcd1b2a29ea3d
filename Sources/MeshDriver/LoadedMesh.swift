public import MeshDiagnostics
public import MeshManifest
public import MeshPlanner

/// A mesh read from disk: its root and config, every product decoded, the files read
/// (for snippets) and the findings of reading, decoding and the resolve and governance
/// passes, whose result (the products with their schemas) is `resolved`.
public struct LoadedMesh: Sendable {
  public var root: MeshRoot
  /// How paths are shown: relative to the current directory when under it.
  var display: DisplayPath
  public var config: MeshConfig?
  public var products: [LoadedProduct] = []
  /// Products of the mesh outside the paths asked for: read so references to them
  /// resolve, but not reported on.
  public var context: [LoadedProduct] = []
  public var sources = SourceFiles()
  public var diagnostics = Diagnostics()
  /// The resolve and governance passes' result (empty until `MeshLoader` runs them).
  public var resolved = ResolvedMesh()

  public func product(_ id: String) -> LoadedProduct? {
    products.first { $0.product.id == id } ?? context.first { $0.product.id == id }
  }
}
