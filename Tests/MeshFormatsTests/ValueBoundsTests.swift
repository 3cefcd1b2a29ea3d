import MeshTestSupport
import Testing

@testable import MeshFormats

/// The statistics of byte-string chunks: the least and greatest value in unsigned byte
/// order (a prefix first), whatever their lengths and zero bytes — the words the bounds
/// compare first must settle only what the bytes would.
@Suite struct ValueBoundsTests {
  @Test func byteStringBoundsAreTheLeastAndGreatestValues() {
    var random = SeededRandom()
    for _ in 0..<300 {
      let values = (0..<Int.random(in: 1...40, using: &random)).map { _ in
        (0..<Int.random(in: 0...12, using: &random)).map { _ in [0, 1, 255][Int.random(in: 0..<3, using: &random)] }
          as [UInt8]
      }
      var bounds = ValueBounds()
      for value in values { value.withUnsafeBytes { bounds.add($0) } }
      let sorted = values.sorted { $0.lexicographicallyPrecedes($1) }
      let encoded = bounds.encoded(.binary)
      #expect(encoded?.min == sorted.first && encoded?.max == sorted.last, "seed \(random.seed): \(values)")
    }
  }
}
