import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

/// One batch of `records` as the writer encodes it (records without a timestamp get 5000).
func encodedBatch(_ records: [Record], base: Offset) -> [UInt8] {
  let buffer = WriteBuffer(capacity: 64)
  let size = BatchFormat.encode(records, baseOffset: base, defaultTimestamp: 5000, into: buffer)
  return Array(buffer.bytes(size))
}

@Suite struct BatchFormatTests {
  private func encode(_ records: [Record]) -> [UInt8] { encodedBatch(records, base: Offset(7)) }

  @Test func headerFieldsSitWhereTheTableSays() throws {
    let records = [
      Record(key: Array("k".utf8), value: Array("v1".utf8), timestamp: 1000),
      Record(value: nil, timestamp: 3000), Record(value: [1, 2, 3]),
    ]
    let bytes = encode(records)
    var reader = ByteReader(bytes)
    #expect(Int(try reader.readLittleEndian(UInt32.self)) == bytes.count - 8)
    let crc = try reader.readLittleEndian(UInt32.self)
    #expect(crc == CRC32C.checksum(bytes[8...]))
    #expect(try reader.readByte() == 1)  // version
    #expect(try reader.readByte() == 0)  // attributes
    #expect(try reader.readLittleEndian(UInt16.self) == 0)
    #expect(try reader.readLittleEndian(Int64.self) == 7)  // base offset
    #expect(try reader.readLittleEndian(UInt32.self) == 2)  // last offset delta
    #expect(try reader.readLittleEndian(UInt32.self) == 3)  // record count
    #expect(try reader.readLittleEndian(Int64.self) == 1000)  // first timestamp
    #expect(try reader.readLittleEndian(Int64.self) == 5000)  // max timestamp (the default one)
    // First record: length 8, timestamp delta 0, offset delta 0, key "k", value "v1", no
    // headers; then the second record's length (6).
    #expect(
      Array(bytes[44...].prefix(10)) == [8, 0, 0, 2, UInt8(ascii: "k"), 3, UInt8(ascii: "v"), UInt8(ascii: "1"), 0, 6])
  }

  @Test func recordsRoundTripWithNullsAndHeaders() throws {
    let records = [
      Record(
        key: nil, value: nil, headers: [RecordHeader(key: "a", value: nil), RecordHeader(key: "é", value: [0])],
        timestamp: -5),
      Record(key: [], value: [], timestamp: Int64.max / 2),
      Record(key: Array(repeating: 9, count: 300), value: Array(repeating: 1, count: 70_000), timestamp: 0),
    ]
    let bytes = encode(records)
    let decoded = try bytes.withUnsafeBytes { raw -> [StoredRecord] in
      let header = try #require(BatchHeader(raw))
      #expect(header.verify(raw, expectedAtLeast: Offset(7)) == nil)
      return try BatchView(header: header, bytes: raw).records()
    }
    #expect(decoded.map(\.record) == records)
    #expect(decoded.map(\.offset) == [Offset(7), Offset(8), Offset(9)])
  }

  @Test func everyFlippedByteIsCaught() throws {
    let bytes = encode((0..<4).map { Record(key: [UInt8($0)], value: Array("value \($0)".utf8), timestamp: 10) })
    for index in bytes.indices {
      var damaged = bytes
      damaged[index] ^= 0x40
      let verdict = damaged.withUnsafeBytes { raw -> CorruptBatch.Reason? in
        guard let header = BatchHeader(raw) else { return .badLength(0) }
        guard header.size == raw.count else {
          return .truncated(needed: Int64(header.size), available: Int64(raw.count))
        }
        return header.verify(raw, expectedAtLeast: Offset(0))
      }
      #expect(verdict != nil, "flipping byte \(index) went unnoticed")
    }
  }

  @Test func malformedRecordsInsideAValidChecksumThrowInsteadOfCrashing() throws {
    var random = SeededRandom()
    print("BatchFormatTests: seed \(random.seed)")
    for _ in 0..<500 {
      var bytes = encode([Record(key: [1, 2], value: [3, 4, 5], headers: [RecordHeader(key: "x", value: [6])])])
      // Scribble over the records, then fix the checksum so only decoding can notice.
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        bytes[Int.random(in: 44..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
      }
      let crc = CRC32C.checksum(bytes[8...])
      bytes.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self) }
      bytes.withUnsafeBytes { raw in
        guard let header = BatchHeader(raw), header.verify(raw, expectedAtLeast: Offset(0)) == nil else { return }
        _ = try? BatchView(header: header, bytes: raw).records()
      }
    }
  }
}
