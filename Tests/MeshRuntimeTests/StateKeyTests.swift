import MeshTestSupport
import Testing

@testable import MeshRuntime

/// State keys held in two words or in an array behave as their bytes: equal, hashed,
/// ordered and given back as the bytes are, zero bytes and prefixes included.
@Suite struct StateKeyTests {
  @Test func keysBehaveAsTheirBytes() {
    var random = SeededRandom()
    let keys = (0..<400).map { _ in
      (0..<Int.random(in: 0...24, using: &random)).map { _ in UInt8.random(in: 0...2, using: &random) }
    }
    for a in keys {
      let key = StateKey(a)
      #expect(key.bytes == a && key.count == a.count)
      #expect(a.withUnsafeBytes { StateKey($0) } == key, "made from a buffer or an array")
      for b in keys.prefix(60) {
        let other = StateKey(b)
        #expect((key == other) == (a == b), "\(a) \(b)")
        if a == b { #expect(key.hashValue == other.hashValue) }
        #expect(key.precedes(other) == a.lexicographicallyPrecedes(b), "\(a) \(b)")
      }
    }
    var set = Set(keys.map(StateKey.init))
    #expect(set.count == Set(keys).count)
    for key in keys { set.remove(StateKey(key)) }
    #expect(set.isEmpty)
  }
}
