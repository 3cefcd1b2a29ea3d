import MeshDiagnostics
import MeshManifest
import MeshPlanner
import MeshTestSupport
import MeshYAML
import Testing

/// An in-memory mesh from marked texts (`mesh.yaml`, manifests, schemas) decoded as the
/// driver would, so a test runs the passes without a directory and says where in which
/// file each diagnostic must point.
struct PlannerFixture {
  private(set) var markers: [String: (file: String, location: MeshDiagnostics.SourceLocation)] = [:]
  private(set) var products: [LoadedProduct] = []
  private(set) var context: [LoadedProduct] = []
  private(set) var config: MeshConfig?
  /// Findings of parsing and decoding, which no fixture should have.
  private(set) var decodeDiagnostics = Diagnostics()
  let files: MemoryMeshFiles

  /// Manifests whose path `isAsked` rejects become context: resolved against, never reported on.
  init(_ texts: [String: String], isAsked: (String) -> Bool = { _ in true }) {
    var plain: [String: String] = [:]
    for (path, marked) in texts {
      let source = MarkedSource(marked)
      plain[path] = source.text
      for (name, location) in source.markers { markers[name] = (path, location) }
    }
    files = MemoryMeshFiles(texts: plain)
    for path in plain.keys.sorted() where path.hasSuffix(".yaml") {
      let file = SourceFile(path: path, text: plain[path] ?? "")
      let parsed = parseYAML(file)
      decodeDiagnostics.append(contentsOf: parsed.diagnostics)
      guard let root = parsed.documents.first?.root else { continue }
      var decoder = ManifestDecoder(source: file)
      defer { decodeDiagnostics.append(contentsOf: decoder.diagnostics) }
      if path == "mesh.yaml" {
        config = decoder.decodeMesh(root)
      } else if let product = decoder.decodeProduct(root) {
        let loaded = LoadedProduct(product: product, displayPath: path)
        if isAsked(path) { products.append(loaded) } else { context.append(loaded) }
      }
    }
  }

  subscript(marker: String) -> (file: String, location: MeshDiagnostics.SourceLocation)? { markers[marker] }

  /// Resolves and plans, with the findings of both.
  func resolve(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ResolvedMesh {
    #expect(
      decodeDiagnostics.isEmpty, "\(decodeDiagnostics.all.map(\.message))", sourceLocation: sourceLocation)
    var mesh = MeshResolver.resolve(products: products, context: context, config: config, files: files)
    mesh.diagnostics.append(contentsOf: Planner.plan(&mesh, config: config))
    return mesh
  }

  static let meshFile = """
    apiVersion: meshc/v1
    kind: Mesh
    name: test
    governance:
      requiredMetadata: [description, owner.email]
      domains: [sales, marketing]
    """

  static let schema = #"{"type": "record", "name": "R", "fields": [{"name": "id", "type": "string"}]}"#

  /// A valid product whose parts a test may replace.
  static func product(
    name: String = "orders", domain: String = "sales", owner: String = "owner: {team: t, email: t@example.com}",
    description: String = "description: Orders.", lifecycle: String = "published",
    input: String = "{name: raw, format: csv, path: data/*.csv, schema: schemas/raw.avsc}",
    output: String = "{name: stream, kind: stream, from: raw, schema: schemas/order.avsc}"
  ) -> String {
    """
    apiVersion: meshc/v1
    kind: DataProduct
    metadata:
      name: \(name)
      domain: \(domain)
      \(owner)
      lifecycle: \(lifecycle)
      \(description)
    spec:
      inputs:
        - \(input)
      outputs:
        - \(output)
    """
  }

  /// A mesh with the usual config and schemas plus `texts`.
  static func mesh(_ texts: [String: String], isAsked: (String) -> Bool = { _ in true }) -> PlannerFixture {
    var all = ["mesh.yaml": meshFile, "schemas/raw.avsc": schema, "schemas/order.avsc": schema]
    all.merge(texts) { _, new in new }
    return PlannerFixture(all, isAsked: isAsked)
  }
}
