import Testing

@testable import MeshDriver

@Test func targetLinks() {
  #expect(Bool(true))
}
