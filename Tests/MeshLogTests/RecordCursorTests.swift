import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshLog

@Suite struct RecordCursorTests {
  private func encode(_ records: [Record]) -> [UInt8] { encodedBatch(records, base: Offset(100)) }

  /// Every record the cursor yields, copied out, or the error it stopped with.
  private func decode(_ bytes: [UInt8]) -> (records: [StoredRecord], failure: RecordDecodingError?) {
    bytes.withUnsafeBytes { raw in
      guard let header = BatchHeader(raw) else { return ([], nil) }
      var cursor = BatchView(header: header, bytes: raw).records
      var records: [StoredRecord] = []
      do throws(RecordDecodingError) {
        while let record = try cursor.next() { records.append(try record.stored()) }
      } catch {
        return (records, error)
      }
      return (records, nil)
    }
  }

  @Test func recordsOfEveryShapeRoundTrip() throws {
    var random = SeededRandom()
    print("RecordCursorTests: seed \(random.seed)")
    func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
    for _ in 0..<50 {
      // Lengths across the one-, two- and three-byte varints, nulls, empties and headers.
      let records = (0..<Int.random(in: 1...40, using: &random)).map { _ -> Record in
        let sizes = [0, 1, 127, 128, 16_383, 16_384, 20_000]
        let key = Bool.random(using: &random) ? nil : bytes(sizes.randomElement(using: &random) ?? 0)
        let value = Int.random(in: 0..<8, using: &random) == 0 ? nil : bytes(sizes.randomElement(using: &random) ?? 0)
        let headers = (0..<Int.random(in: 0...3, using: &random)).map { index in
          RecordHeader(key: "h\(index)é", value: Bool.random(using: &random) ? nil : bytes(index * 3))
        }
        return Record(
          key: key, value: value, headers: headers, timestamp: Int64.random(in: -1000...1_000_000, using: &random))
      }
      let decoded = decode(encode(records))
      #expect(decoded.failure == nil, "seed \(random.seed)")
      #expect(decoded.records.map(\.record) == records, "seed \(random.seed)")
      #expect(decoded.records.map(\.offset) == (0..<records.count).map { Offset(100 + Int64($0)) })
    }
  }

  @Test func headersAreDecodedOnlyWhenAsked() throws {
    let bytes = encode([Record(value: [1]), Record(value: [2], headers: [RecordHeader(key: "a", value: [3])])])
    try bytes.withUnsafeBytes { raw in
      let header = try #require(BatchHeader(raw))
      var cursor = BatchView(header: header, bytes: raw).records
      let first = try #require(try cursor.next())
      #expect(try first.headers().isEmpty)
      let second = try #require(try cursor.next())
      #expect(try second.headers() == [RecordHeader(key: "a", value: [3])])
      #expect(try cursor.next() == nil)
    }
  }

  // One record, key [1, 2], value [3, 4, 5], no headers, at byte 44:
  // length 10 | timestamp delta 0 | offset delta 0 | key length 3 | 1 2 | value length 4 | 3 4 5 | header count 0
  private var oneRecord: [UInt8] { encode([Record(key: [1, 2], value: [3, 4, 5], timestamp: 5000)]) }

  @Test(arguments: [
    (44, UInt8(0x7F), RecordDecodingError.lengthPastBatch),
    (47, UInt8(20), RecordDecodingError.fieldsPastRecord),
    (46, UInt8(5), RecordDecodingError.fieldsPastRecord),  // offset delta past the batch's last
    (50, UInt8(10), RecordDecodingError.valuePastRecord),
  ])
  func eachMalformedFieldThrowsItsError(at index: Int, byte: UInt8, error: RecordDecodingError) throws {
    var bytes = oneRecord
    #expect(Array(bytes[44...]) == [10, 0, 0, 3, 1, 2, 4, 3, 4, 5, 0])
    bytes[index] = byte
    let decoded = decode(bytes)
    #expect(decoded.records.isEmpty)
    #expect(decoded.failure == error)
  }

  @Test func offsetsThatGoBackwardsAreRefused() throws {
    var bytes = encode([Record(value: [1]), Record(value: [2])])
    // The second record's offset delta (1) becomes 0, the first's again.
    let second = 44 + 1 + Int(bytes[44])
    #expect(bytes[second + 2] == 1)
    bytes[second + 2] = 0
    let decoded = decode(bytes)
    #expect(decoded.records.count == 1)
    #expect(decoded.failure == .fieldsPastRecord)
  }

  @Test func aHeaderCountLargerThanTheRecordFailsWhenTheHeadersAreRead() throws {
    var bytes = oneRecord
    bytes[54] = 6  // six headers in zero bytes
    try bytes.withUnsafeBytes { raw in
      let header = try #require(BatchHeader(raw))
      var cursor = BatchView(header: header, bytes: raw).records
      let record = try #require(try cursor.next())
      #expect(throws: RecordDecodingError.headersPastRecord) { try record.headers() }
      #expect(throws: RecordDecodingError.headersPastRecord) { try record.stored() }
    }
  }

  @Test func scribbledRecordsNeverReachOutsideTheirBatch() throws {
    var random = SeededRandom()
    print("RecordCursorTests: scribble seed \(random.seed)")
    let clean = encode(
      (0..<6).map { Record(key: [UInt8($0)], value: Array(repeating: UInt8($0), count: $0 * 50), timestamp: 10) })
    for _ in 0..<2000 {
      var bytes = clean
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        bytes[Int.random(in: 44..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
      }
      try bytes.withUnsafeBytes { raw in
        let header = try #require(BatchHeader(raw))
        let batch = raw.baseAddress.map { UInt(bitPattern: $0) } ?? 0
        func inside(_ part: UnsafeRawBufferPointer?) -> Bool {
          guard let part, let start = part.baseAddress.map({ UInt(bitPattern: $0) }) else { return true }
          return start >= batch && start + UInt(part.count) <= batch + UInt(raw.count)
        }
        var cursor = BatchView(header: header, bytes: raw).records
        var previous = Offset(Int64.min)
        while let record = try? cursor.next() {
          #expect(inside(record.key) && inside(record.value) && inside(record.headerBytes), "seed \(random.seed)")
          #expect(record.offset > previous && record.offset <= header.lastOffset, "seed \(random.seed)")
          previous = record.offset
          _ = try? record.headers()
        }
      }
    }
  }

  /// What the cursor yields for `raw`, as (offset, timestamp, key, value, header bytes)
  /// rows ending with the error, if any; `checkedOnly` skips the short-field fast path.
  private func rows(_ raw: UnsafeRawBufferPointer, checkedOnly: Bool) -> [String] {
    guard let header = BatchHeader(raw), let base = raw.baseAddress else { return [] }
    var cursor = BatchView(header: header, bytes: raw).records
    var rows: [String] = []
    do throws(RecordDecodingError) {
      while true {
        var record: RecordView?
        if checkedOnly {
          guard cursor.remaining > 0 else { break }
          cursor.remaining -= 1
          record = try cursor.nextChecked(base)
        } else {
          record = try cursor.next()
        }
        guard let record else { break }
        // Where each part lies in the batch: equal places mean equal bytes.
        func place(_ part: UnsafeRawBufferPointer?) -> String {
          guard let part, let start = part.baseAddress else { return "nil" }
          return "\(start - base)+\(part.count)"
        }
        rows.append(
          "\(record.offset) \(record.timestamp) \(place(record.key)) \(place(record.value)) \(place(record.headerBytes))"
        )
      }
    } catch {
      rows.append("error: \(error)")
    }
    return rows
  }

  /// The fast path for records with short fields must decide exactly as the checked path
  /// does, on well-formed batches and on scribbled ones alike.
  @Test func theShortFieldPathAgreesWithTheCheckedPath() throws {
    var random = SeededRandom()
    print("RecordCursorTests: fast path seed \(random.seed)")
    for _ in 0..<3000 {
      // Mostly small records, so that most are followed by the 16 bytes the fast path
      // wants; now and then lengths of three-byte varints, which it leaves to the other.
      let sizes = Int.random(in: 0..<10, using: &random) == 0 ? [0, 127, 128, 16_383, 16_384] : [0, 1, 2, 5, 127, 128]
      let records = (0..<Int.random(in: 1...12, using: &random)).map { index -> Record in
        let key =
          Bool.random(using: &random) ? nil : [UInt8](repeating: 1, count: sizes.randomElement(using: &random) ?? 0)
        let value =
          Int.random(in: 0..<3, using: &random) == 0
          ? nil : [UInt8](repeating: 2, count: sizes.randomElement(using: &random) ?? 0)
        let headers = Bool.random(using: &random) ? [] : [RecordHeader(key: "h", value: [3])]
        return Record(
          key: key, value: value, headers: headers,
          timestamp: 5000 + Int64(index) * Int64.random(in: 0...100_000, using: &random))
      }
      var bytes = encode(records)
      if Int.random(in: 0..<4, using: &random) > 0 {
        // Scribble near the start of the records, where their lengths and deltas are.
        let reach = min(bytes.count, 44 + 200)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
          bytes[Int.random(in: 44..<reach, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
      }
      bytes.withUnsafeBytes { raw in
        #expect(rows(raw, checkedOnly: false) == rows(raw, checkedOnly: true), "seed \(random.seed)")
      }
    }
  }

  /// The one-load prefix reads what the varint-by-varint prefix reads, whenever it reads
  /// anything: over record starts of every shape its test of the high bits lets through
  /// or turns away.
  @Test func theOneLoadPrefixAgreesWithTheVarintPrefix() throws {
    var random = SeededRandom()
    print("RecordCursorTests: prefix seed \(random.seed)")
    var header = encode([Record(value: [1])])
    header.removeSubrange(BatchFormat.headerSize...)
    var taken = 0
    for round in 0..<20_000 {
      // Bytes below 0x80 most of the time, so that the shapes the one-load path takes
      // come up often; any byte now and then.
      let start = (0..<16).map { _ in
        Int.random(in: 0..<4, using: &random) == 0
          ? UInt8.random(in: 0...255, using: &random) : UInt8.random(in: 0..<0x80, using: &random)
      }
      let bytes = header + start
      try bytes.withUnsafeBytes { raw in
        let batchHeader = try #require(BatchHeader(raw))
        let cursor = BatchView(header: batchHeader, bytes: raw).records
        let base = try #require(raw.baseAddress)
        guard let fast = cursor.prefixFromOneLoad(base) else { return }
        taken += 1
        let slow = try #require(cursor.shortPrefix(base), "round \(round), seed \(random.seed)")
        #expect(
          [fast.keyAt, fast.recordEnd] == [slow.keyAt, slow.recordEnd]
            && [fast.zigzag, fast.offsetDelta, fast.keyLength] == [slow.zigzag, slow.offsetDelta, slow.keyLength],
          "round \(round), seed \(random.seed)")
      }
    }
    #expect(taken > 5000)
  }

  /// Every value of every byte of the first records, on batches of small records with and
  /// without keys, values and headers: the fast path's one check at the end must catch
  /// what the checked path catches field by field.
  @Test func everySingleByteChangeIsDecidedAlikeByBothPaths() throws {
    let shapes: [[Record]] = [
      [Record(value: nil), Record(value: nil), Record(key: [1], value: Array(repeating: 2, count: 30))],
      [Record(key: [1, 2], value: [3]), Record(value: [], headers: [RecordHeader(key: "h", value: nil)])]
        + (0..<3).map { _ in Record(value: Array(repeating: 4, count: 20)) },
      [Record(key: [], value: nil, timestamp: 90_000), Record(key: nil, value: [5], timestamp: 4000)]
        + (0..<3).map { _ in Record(value: Array(repeating: 6, count: 20)) },
    ]
    for records in shapes {
      let clean = encode(records)
      for index in 44..<min(clean.count, 44 + 30) {
        for byte in 0...255 {
          var bytes = clean
          bytes[index] = UInt8(byte)
          bytes.withUnsafeBytes { raw in
            #expect(rows(raw, checkedOnly: false) == rows(raw, checkedOnly: true), "byte \(index) = \(byte)")
          }
        }
      }
    }
  }
}
