import MeshBytes
import MeshTestSupport
import Testing

/// The small byte kernels the hot paths share: short copies of every length, the radix
/// sort against the standard sort, and the hash reading every byte of every length.
@Suite struct ByteKernelTests {
  @Test func shortCopiesCopyEveryLengthExactly() {
    let source = (0..<64).map { UInt8($0 + 1) }
    for count in 0...40 {
      var target = [UInt8](repeating: 0, count: 64)
      source.withUnsafeBytes { from in
        target.withUnsafeMutableBytes { to in
          guard let from = from.baseAddress, let to = to.baseAddress else { return }
          ShortCopy.copy(from + 3, to: to + 5, count: count)
        }
      }
      #expect(Array(target[5..<(5 + count)]) == Array(source[3..<(3 + count)]), "length \(count)")
      #expect(target[..<5].allSatisfy { $0 == 0 } && target[(5 + count)...].allSatisfy { $0 == 0 }, "length \(count)")
    }
  }

  @Test func radixSortAgreesWithTheStandardSort() {
    var random = SeededRandom()
    for _ in 0..<40 {
      let bits = Int.random(in: 1...64, using: &random)
      let count = Int.random(in: 0...3_000, using: &random)
      var values = (0..<count).map { _ in
        UInt64.random(in: 0...UInt64.max, using: &random) >> UInt64(64 - bits)
      }
      let expected = values.sorted()
      RadixSort.sort(&values, significantBits: bits)
      #expect(values == expected, "seed \(random.seed), \(count) values of \(bits) bits")
    }
  }

  @Test func theHashSeesEveryByteOfEveryLength() {
    for count in 0...24 {
      let key = [UInt8](repeating: 7, count: count)
      let hash = key.withUnsafeBytes { ByteHash.hash($0) }
      for position in 0..<count {
        var changed = key
        changed[position] ^= 1
        #expect(changed.withUnsafeBytes { ByteHash.hash($0) } != hash, "length \(count), byte \(position)")
      }
      // The same bytes elsewhere in memory hash the same.
      let copy = [UInt8](repeating: 9, count: 3) + key
      #expect(copy.withUnsafeBytes { ByteHash.hash(UnsafeRawBufferPointer(rebasing: $0[3...])) } == hash)
    }
  }
}
