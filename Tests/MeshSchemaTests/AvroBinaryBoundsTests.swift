import MeshDiagnostics
import MeshSchema
import Testing

/// Counts and lengths in Avro binary data are the writer's word: decoding checks each
/// against the bytes left, without trusting it for an allocation, and still reads valid
/// data whose items take no bytes.
@Suite struct AvroBinaryBoundsTests {
  static func binary(_ text: String) throws -> AvroBinary {
    AvroBinary(try #require(Schema.parse(SourceFile(path: "test.avsc", text: text)).schema))
  }

  @Test func arraysOfItemsThatTakeNoBytesDecode() throws {
    // Found by the AvroBinary fuzzer: 20 empty records are 2 bytes, and the count used to
    // be refused as larger than what 2 bytes can hold (only null items were exempt).
    let empty = try Self.binary(
      #"{"type":"array","items":{"type":"record","name":"E","fields":[{"name":"n","type":"null"}]}}"#)
    #expect(try empty.decode([40, 0]) == .array(Array(repeating: .record([.null]), count: 20)))
    let zero = try Self.binary(#"{"type":"map","values":{"type":"fixed","name":"Z","size":0}}"#)
    #expect(try zero.decode([2, 2, 0x61, 0]) == .map([.init(key: "a", value: .fixed([]))]))
  }

  @Test func itemsThatTakeNoBytesAreBoundedInNumber() throws {
    // Found by the AvroBinary fuzzer: 4 bytes made the decoder build a million values.
    let nulls = try Self.binary(#"{"type":"array","items":"null"}"#)
    let most = Int64(AvroBinary.maxItemsWithoutBytes)
    #expect(try nulls.decode([0x80, 0x80, 0x08, 0]) == .array(Array(repeating: .null, count: Int(most))))
    #expect(throws: AvroValueError.self) { try nulls.decode([0x82, 0x80, 0x08, 0]) }
    #expect(throws: AvroValueError.self) { try nulls.decode([0x80, 0x80, 0x08, 2, 0]) }
  }

  @Test func forgedCountsAndLengthsAreErrors() throws {
    let longs = try Self.binary(#"{"type":"array","items":"long"}"#)
    // A count of 2^62 items, then a block of negative count -2^63 with a byte size.
    #expect(throws: AvroValueError.self) {
      try longs.decode([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1])
    }
    #expect(throws: AvroValueError.self) {
      try longs.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 4, 2, 4])
    }
    // A negative count (-2) with its byte size reads two items.
    #expect(try longs.decode([3, 2, 2, 4, 0]) == .array([.long(1), .long(2)]))
    let bytes = try Self.binary(#""bytes""#)
    #expect(throws: AvroValueError.self) { try bytes.decode([0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) }
    #expect(throws: AvroValueError.self) { try bytes.decode([1]) }  // length -1
  }
}
