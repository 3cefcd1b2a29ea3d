import MeshFormats
import MeshTestSupport
import Testing

@Suite struct CodecTests {
  /// Text-like bytes that compress, and random ones that do not.
  static func samples(seed: UInt64) -> [[UInt8]] {
    var random = SeededRandom(seed: seed)
    let words = (0..<20_000).map { _ in UInt8(ascii: "a") + UInt8(random.next() % 6) }
    let noise = (0..<5_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    return [[], [42], words, noise, [UInt8](repeating: 0, count: 300_000)]
  }

  @Test(arguments: Codec.allCases) func roundTrips(codec: Codec) throws {
    for sample in Self.samples(seed: 7) {
      let compressed = try codec.compress(sample)
      #expect(try codec.decompress(compressed[...], size: sample.count) == sample, "\(codec) with size")
      if codec != .lz4Raw, codec != .lz4Hadoop {
        #expect(try codec.decompress(compressed[...], size: nil) == sample, "\(codec) without size")
      }
    }
  }

  @Test(arguments: Codec.allCases.filter { $0 != .none }) func damageIsAnError(codec: Codec) throws {
    let sample = Self.samples(seed: 8)[2]
    let compressed = try codec.compress(sample)
    var random = SeededRandom(seed: 9)
    var errors = 0
    for _ in 0..<200 {
      var damaged = compressed
      switch random.next() % 3 {
      case 0: damaged.removeLast(Int(random.next() % UInt64(damaged.count)) + 1)
      case 1: damaged[Int(random.next() % UInt64(damaged.count))] ^= UInt8(1 << (random.next() % 8))
      default: damaged = (0..<damaged.count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      }
      do {
        let output = try codec.decompress(damaged[...], size: sample.count)
        #expect(output.count == sample.count)
      } catch {
        errors += 1
      }
    }
    #expect(errors > 0)
  }

  @Test func forgedSizesAreRefused() {
    #expect(throws: CodecError.self) { try Codec.zstd.decompress([1, 2, 3][...], size: 1 << 40) }
    #expect(throws: CodecError.self) { try Codec.lz4Raw.decompress([1, 2, 3][...], size: -1) }
    // A snappy header that claims 2^31 bytes from five bytes of input.
    #expect(throws: CodecError.self) { try Codec.snappy.decompress([0x80, 0x80, 0x80, 0x80, 0x08][...], size: nil) }
  }
}
