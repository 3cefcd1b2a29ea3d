import Testing

@testable import MeshYAML

@Test func targetLinks() {
  #expect(Bool(true))
}
