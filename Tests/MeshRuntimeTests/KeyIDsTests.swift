import MeshTestSupport
import Testing

@testable import MeshRuntime

/// `KeyIDs` against a dictionary: ids in first-seen order, stable while the table grows,
/// and renumbered in order when keys are dropped.
@Suite struct KeyIDsTests {
  @Test func idsMatchADictionaryThroughGrowthAndDrops() {
    var random = SeededRandom()
    var ids = KeyIDs()
    var model: [[UInt8]: Int32] = [:]
    var order: [[UInt8]] = []
    for _ in 0..<20_000 {
      let length = Int.random(in: 0...20, using: &random)
      let key = (0..<length).map { _ in UInt8.random(in: 0...3, using: &random) }
      let expected = model[key] ?? Int32(order.count)
      if model[key] == nil {
        model[key] = expected
        order.append(key)
      }
      #expect(ids.id(of: key) == expected)
    }
    #expect(ids.count == order.count)
    for (id, key) in order.enumerated().prefix(100) { #expect(ids.key(Int32(id)) == key) }
    let renumbered = ids.keepOnly { $0 % 3 == 0 }
    let kept = order.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
    #expect(ids.count == kept.count)
    for (newID, key) in kept.enumerated() {
      #expect(ids.id(of: key) == Int32(newID))
      #expect(renumbered[Int(model[key] ?? 0)] == Int32(newID))
    }
    #expect(renumbered[1] == -1)
  }
}
