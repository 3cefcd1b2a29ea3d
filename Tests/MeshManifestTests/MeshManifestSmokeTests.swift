import Testing

@testable import MeshManifest

@Test func targetLinks() {
  #expect(Bool(true))
}
