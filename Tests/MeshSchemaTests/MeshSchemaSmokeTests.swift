import Testing

@testable import MeshSchema

@Test func targetLinks() {
  #expect(Bool(true))
}
