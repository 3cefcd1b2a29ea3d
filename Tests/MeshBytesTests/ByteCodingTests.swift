import MeshBytes
import MeshTestSupport
import Testing

@Test(arguments: [Int64(0), 1, -1, 63, -64, 64, 300, Int64.max, Int64.min])
func zigZagRoundTrips(_ value: Int64) throws {
  var writer = ByteWriter()
  writer.writeZigZag(value)
  var reader = ByteReader(writer.bytes)
  #expect(try reader.readZigZag() == value)
  #expect(reader.isAtEnd)
}

@Test func zigZagMatchesAvroExamples() {
  // The Avro specification's table: 0→00, -1→01, 1→02, -2→03, 2→04, -64→7f, 64→80 01.
  let expected: [(Int64, [UInt8])] = [
    (0, [0]), (-1, [1]), (1, [2]), (-2, [3]), (2, [4]), (-64, [0x7F]), (64, [0x80, 1]),
  ]
  for (value, bytes) in expected {
    var writer = ByteWriter()
    writer.writeZigZag(value)
    #expect(writer.bytes == bytes, "value \(value)")
  }
}

@Test func readerRejectsTruncatedAndOverlongInput() {
  var short = ByteReader([0x80, 0x80])
  #expect(throws: ByteReaderError.truncated(offset: 2, needed: 1)) { try short.readVarint() }
  var overlong = ByteReader([UInt8](repeating: 0xFF, count: 11))
  #expect(throws: ByteReaderError.malformedVarint(offset: 0)) { try overlong.readVarint() }
  var fixed = ByteReader([1, 2, 3])
  #expect(throws: ByteReaderError.self) { try fixed.readBigEndian(UInt32.self) }
}

@Test func fixedWidthIntegersInBothOrders() throws {
  var writer = ByteWriter()
  writer.writeBigEndian(UInt32(0x0102_0304))
  writer.writeLittleEndian(UInt16(0x0506))
  writer.writeDoubleLittleEndian(1.5)
  #expect(Array(writer.bytes.prefix(6)) == [1, 2, 3, 4, 6, 5])
  var reader = ByteReader(writer.bytes)
  #expect(try reader.readBigEndian(UInt32.self) == 0x0102_0304)
  #expect(try reader.readLittleEndian(UInt16.self) == 0x0506)
  #expect(try reader.readDoubleLittleEndian() == 1.5)
}

@Test func crc32cMatchesTheStandardCheckValue() {
  // The CRC-32C check value of "123456789" (RFC 3720, appendix B.4).
  #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
  #expect(CRC32C.checksum([UInt8]()) == 0)
}

@Test func crc32cChainsAcrossPieces() {
  var random = SeededRandom()
  let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &random) }
  let whole = CRC32C.checksum(bytes)
  for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
    let first = CRC32C.checksum(bytes[..<split])
    #expect(CRC32C.checksum(bytes[split...], continuing: first) == whole, "split \(split), seed \(random.seed)")
  }
}

@Test func interleavedCRC32CAgreesWithOneStream() {
  // The three-stream form has separate paths for 24 KiB blocks, 768-byte blocks, words
  // and bytes: lengths and alignments around each of them, and large inputs.
  var random = SeededRandom()
  let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &random) }
  var lengths = [0, 1, 7, 8, 9, 767, 768, 769, 24_575, 24_576, 24_577, 49_152, 106_916, 199_990]
  for _ in 0..<300 { lengths.append(Int.random(in: 0...199_990, using: &random)) }
  bytes.withUnsafeBytes { raw in
    for length in lengths {
      let start = Int.random(in: 0...min(9, raw.count - length), using: &random)
      let slice = UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
      let seed = UInt32.random(in: 0...UInt32.max, using: &random)
      #expect(
        CRC32C.interleavedChecksum(slice, continuing: seed) == CRC32C.checksum(slice, continuing: seed),
        "length \(length) at \(start), seed \(random.seed)")
    }
  }
}

/// `UTF8Validation` against the standard library's decoder, on the edge cases of RFC 3629
/// and on random byte strings biased towards UTF-8's ranges.
@Suite struct UTF8ValidationTests {
  private func stdlib(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

  @Test func edgeCasesAgreeWithTheStandardLibrary() {
    let cases: [[UInt8]] = [
      [], Array("plain ASCII, longer than eight bytes".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8),
      [0xC0, 0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xE0, 0x9F, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
      [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0x80, 0x80], [0xF0, 0x90, 0x80, 0x80],
      [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80], [0xBF], [0xFF],
      [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x61, 0xE2, 0x28, 0xA1], Array("abcdefgh€".utf8) + [0xE2],
    ]
    for bytes in cases { #expect(UTF8Validation.isValid(bytes) == stdlib(bytes), "\(bytes)") }
  }

  @Test func randomBytesAgreeWithTheStandardLibrary() {
    var random = SeededRandom()
    let alphabet: [UInt8] = [
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED,
      0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF,
    ]
    for _ in 0..<20_000 {
      let count = Int.random(in: 0...24, using: &random)
      var bytes = (0..<count).map { _ in
        Bool.random(using: &random)
          ? alphabet[Int.random(in: 0..<alphabet.count, using: &random)] : UInt8.random(in: 0...255, using: &random)
      }
      if Int.random(in: 0..<3, using: &random) == 0 {
        // Well-formed text of scalars from every plane, maybe cut short.
        let scalars = (0..<count).compactMap { _ in
          let limits: [UInt32] = [0x7F, 0x7FF, 0xFFFF, 0x10FFFF]
          return Unicode.Scalar(UInt32.random(in: 0...limits[Int.random(in: 0..<4, using: &random)], using: &random))
        }
        bytes = Array(String(String.UnicodeScalarView(scalars)).utf8)
        if Bool.random(using: &random), !bytes.isEmpty {
          bytes.removeLast(Int.random(in: 0...min(3, bytes.count), using: &random))
        }
      }
      #expect(UTF8Validation.isValid(bytes) == stdlib(bytes), "\(bytes)")
    }
  }
}
