import Testing

@testable import MeshLog

@Test func targetLinks() {
  #expect(Bool(true))
}
