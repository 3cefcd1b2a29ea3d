import MeshFormats
import MeshTestSupport
import Testing

/// Thrift's compact protocol, as Parquet's footer and page headers use it.
@Suite struct ThriftCompactTests {
  @Test func fieldsAreWrittenAsTheProtocolSpecifies() throws {
    var value = ThriftStruct()
    value.set(1, .i32(5))
    value.set(2, .binary(Array("ab".utf8)))
    value.set(20, .bool(true))
    value.set(21, .list(.i64, [.i64(-1), .i64(1)]))
    let bytes = CompactWriter.bytes(of: value)
    // 1: delta 1, i32 (5) → zig-zag 10; 2: delta 1, binary; 20: delta 18 is too far for the
    // nibble, so type true (1) then the id as a zig-zag varint (40); 21: delta 1, list of
    // two i64 (0x26); then stop.
    #expect(bytes == [0x15, 0x0A, 0x18, 0x02, 0x61, 0x62, 0x01, 0x28, 0x19, 0x26, 0x01, 0x02, 0x00])
    let (read, used) = try CompactReader.readStruct(bytes + [0xFF])
    #expect(read == value)
    #expect(used == bytes.count)
  }

  static func randomValue(_ random: inout SeededRandom, depth: Int) -> ThriftValue {
    switch random.next() % (depth > 3 ? 7 : 10) {
    case 0: return .bool(random.next() % 2 == 0)
    case 1: return .byte(Int8(truncatingIfNeeded: random.next()))
    case 2: return .i16(Int16(truncatingIfNeeded: random.next()))
    case 3: return .i32(Int32(truncatingIfNeeded: random.next()))
    case 4: return .i64(Int64(bitPattern: random.next()))
    case 5: return .double(Double(bitPattern: random.next()))
    case 6: return .binary((0..<Int(random.next() % 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    case 7:
      let count = Int(random.next() % 20)
      let element = randomValue(&random, depth: depth + 1)
      var items = [element]
      while items.count < count { items.append(sameType(as: element, &random, depth: depth + 1)) }
      return .list(element.type, count == 0 ? [] : items)
    case 8:
      let count = Int(random.next() % 4)
      return .map(
        key: .binary, value: .i32,
        (0..<count).map { _ in
          (.binary([UInt8(truncatingIfNeeded: random.next())]), .i32(Int32(truncatingIfNeeded: random.next())))
        })
    default: return .structure(randomStruct(&random, depth: depth + 1))
    }
  }

  static func sameType(as value: ThriftValue, _ random: inout SeededRandom, depth: Int) -> ThriftValue {
    for _ in 0..<50 {
      let candidate = randomValue(&random, depth: depth)
      if candidate.type == value.type { return candidate }
    }
    return value
  }

  static func randomStruct(_ random: inout SeededRandom, depth: Int) -> ThriftStruct {
    var value = ThriftStruct()
    var id: Int16 = 0
    for _ in 0..<Int(random.next() % 6) {
      id += Int16(random.next() % 40) + 1
      value.set(id, randomValue(&random, depth: depth))
    }
    return value
  }

  @Test func randomStructsRoundTrip() throws {
    var random = SeededRandom()
    print("ThriftCompactTests: seed \(random.seed)")
    for _ in 0..<500 {
      let value = Self.randomStruct(&random, depth: 0)
      let bytes = CompactWriter.bytes(of: value)
      let (read, used) = try CompactReader.readStruct(bytes)
      #expect(read == value, "seed \(random.seed)")
      #expect(used == bytes.count)
    }
  }

  @Test func damagedBytesAreErrorsNotCrashes() throws {
    var random = SeededRandom()
    print("ThriftCompactTests.damage: seed \(random.seed)")
    var errors = 0
    for round in 0..<500 {
      var bytes = CompactWriter.bytes(of: Self.randomStruct(&random, depth: 0))
      if round % 2 == 0, !bytes.isEmpty {
        bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(1 << (random.next() % 8))
      } else {
        bytes = (0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      }
      do { _ = try CompactReader.readStruct(bytes) } catch { errors += 1 }
    }
    #expect(errors > 25)
  }

  @Test func forgedCountsAndDeepNestingAreRefused() {
    // Field 1, a list of i32 that claims 2^32 items in six bytes.
    #expect(throws: FormatError.self) { try CompactReader.readStruct([0x19, 0xF5, 0x80, 0x80, 0x80, 0x80, 0x10]) }
    // A binary of 2^40 bytes.
    #expect(throws: FormatError.self) { try CompactReader.readStruct([0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]) }
    // Structs inside structs, 10,000 deep.
    #expect(throws: FormatError.self) { try CompactReader.readStruct([UInt8](repeating: 0x1C, count: 10_000)) }
  }
}
