import MeshBytes
import MeshTestSupport
import Testing

/// `ByteStringTable` against a dictionary: ids in first-seen order, stable while the table grows,
/// and renumbered in order when keys are dropped.
@Suite struct ByteStringTableTests {
  @Test func idsMatchADictionaryThroughGrowthAndDrops() {
    var random = SeededRandom()
    var ids = ByteStringTable()
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
      #expect(key.withUnsafeBytes { ids.index(of: $0) } == expected)
    }
    #expect(ids.count == order.count)
    for (id, key) in order.enumerated().prefix(100) { #expect(ids.string(Int32(id)) == key) }
    let renumbered = ids.keepOnly { $0 % 3 == 0 }
    let kept = order.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
    #expect(ids.count == kept.count)
    for (newID, key) in kept.enumerated() {
      #expect(key.withUnsafeBytes { ids.index(of: $0) } == Int32(newID))
      #expect(renumbered[Int(model[key] ?? 0)] == Int32(newID))
    }
    #expect(renumbered[1] == -1)
  }
}
