import MeshBytes
import MeshData
import MeshDiagnostics
import MeshSchema
import MeshTestSupport
import Testing

private let everyType = TestSchemas.everyType

private func parse(_ text: String) throws -> Schema {
  try #require(Schema.parse(SourceFile(path: "test.avsc", text: text)).schema)
}

/// A batch holds exactly what the Avro binary records held: decoding them into columns and
/// encoding the columns again gives the same bytes, for every type and for nulls.
@Suite struct BatchCodecTests {
  @Test func recordsRoundTripThroughColumns() throws {
    let schema = try parse(everyType)
    var values = RandomAvroValues(schema: schema, random: SeededRandom())
    print("BatchCodecTests: seed \(values.random.seed)")
    let avro = AvroBinary(schema)
    let decoder = try #require(BatchDecoder(schema))
    let encoder = try #require(BatchEncoder(schema))
    for round in 0..<20 {
      var records: [[UInt8]] = []
      for _ in 0..<Int.random(in: 1...300, using: &values.random) {
        records.append(try avro.encode(values.value(schema.root)))
      }
      for record in records { try decoder.append(record) }
      let batch = decoder.finish()
      #expect(batch.count == records.count)
      #expect(batch.columns.allSatisfy { $0.count == records.count })
      var index = 0
      try encoder.encode(batch) { _, bytes in
        #expect(bytes == records[index], "round \(round), record \(index), seed \(values.random.seed)")
        index += 1
      }
      #expect(index == records.count)
    }
  }

  @Test func columnsHoldValuesByPosition() throws {
    let schema = try parse(
      #"{"type": "record", "name": "R", "fields": [{"name": "n", "type": ["null", "long"]}, {"name": "s", "type": "string"}]}"#
    )
    let avro = AvroBinary(schema)
    let decoder = try #require(BatchDecoder(schema))
    try decoder.append(avro.encode(.record([.union(branch: 1, value: .long(7)), .string("a")])))
    try decoder.append(avro.encode(.record([.union(branch: 0, value: .null), .string("bc")])))
    let batch = decoder.finish()
    guard case .int64(let numbers) = batch.columns[0].values else {
      Issue.record("long column expected")
      return
    }
    #expect(numbers[0] == 7)
    #expect(batch.columns[0].isNull(1))
    #expect(!batch.columns[0].isNull(0))
    #expect(batch.columns[1].string(1) == "bc")
    #expect(batch.schema.fields.map(\.nullable) == [true, false])
  }

  /// A damaged record is refused whole: the records before it stay, nothing of it does.
  @Test func aDamagedRecordLeavesTheBatchAsItWas() throws {
    let schema = try parse(everyType)
    var values = RandomAvroValues(schema: schema, random: SeededRandom())
    print("BatchCodecTests: damage seed \(values.random.seed)")
    let avro = AvroBinary(schema)
    let decoder = try #require(BatchDecoder(schema))
    let encoder = try #require(BatchEncoder(schema))
    var kept: [(bytes: [UInt8], damaged: Bool)] = []
    for _ in 0..<200 {
      let record = try avro.encode(values.value(schema.root))
      var damaged = record
      switch Int.random(in: 0..<3, using: &values.random) {
      case 0: damaged.removeLast(Int.random(in: 1...damaged.count, using: &values.random))
      case 1: damaged[Int.random(in: 0..<damaged.count, using: &values.random)] ^= 0xFF
      default: damaged.append(1)
      }
      do {
        try decoder.append(damaged)
        // A flipped byte may still be a valid record: then it is kept as read.
        kept.append((damaged, true))
      } catch {}
      try decoder.append(record)
      kept.append((record, false))
    }
    let batch = decoder.finish()
    #expect(batch.count == kept.count)
    var index = 0
    try encoder.encode(batch) { _, bytes in
      guard index < kept.count else { return }
      if kept[index].damaged {
        // A flipped byte can give a valid but non-minimal spelling (a decimal with a redundant
        // sign byte, a varint with an empty continuation): the batch keeps the value, and
        // writes it in its shortest form.
        #expect(
          avro.decodesWhole(kept[index].bytes) && avro.decodesWhole(bytes),
          "record \(index), seed \(values.random.seed)")
      } else {
        #expect(bytes == kept[index].bytes, "record \(index), seed \(values.random.seed)")
      }
      index += 1
    }
  }
}

extension AvroBinary {
  fileprivate func decodesWhole(_ bytes: [UInt8]) -> Bool { (try? decode(bytes)) != nil }
}
