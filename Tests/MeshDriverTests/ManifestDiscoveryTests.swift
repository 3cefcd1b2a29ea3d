import Testing

@testable import MeshDriver

/// `compat --base` reads a commit's files the way `validate` reads a checkout: a nested
/// mesh (a test fixture, a vendored mesh) is not part of the mesh around it.
@Test func historyReadsTheManifestsValidateWouldRead() {
  let files = [
    "mesh.yaml", "products/sales/orders.yaml", "products/notes.yml", "products/readme.md", ".meshc/x.yaml",
    "fixtures/other/mesh.yaml", "fixtures/other/products/orders.yaml", "fixtures/loose.yaml", "node_modules/a.yaml",
  ]
  #expect(
    ManifestDiscovery.manifestPaths(in: files) == [
      "products/sales/orders.yaml", "products/notes.yml", "fixtures/loose.yaml",
    ])
}
