import Testing

@testable import MeshBytes

@Test func targetLinks() {
  #expect(Bool(true))
}
