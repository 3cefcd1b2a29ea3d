import MeshBytes

/// A group's values and measures as keyed state. Never reorder the fields:
///
/// value: a tag byte (0 null, 1 integer as zig-zag varint, 2 real as 8 bytes little-endian,
/// 3 boolean as a byte, 4 bytes with their length before them).
/// accumulator: measures (varint), then per measure: count (zig-zag), integer sum
/// (zig-zag), real sum (8 bytes), value, time (zig-zag), distinct values (varint) and each.
extension GroupValue {
  func encode(to out: inout ByteWriter) {
    switch self {
    case .null: out.write(0)
    case .integer(let number):
      out.write(1)
      out.writeZigZag(number)
    case .real(let number):
      out.write(2)
      out.writeDoubleLittleEndian(number)
    case .boolean(let flag):
      out.write(3)
      out.write(flag ? 1 : 0)
    case .bytes(let bytes):
      out.write(4)
      out.writeVarint(UInt64(bytes.count))
      out.write(bytes)
    }
  }

  init(from reader: inout ByteReader) throws(ByteReaderError) {
    switch try reader.readByte() {
    case 0: self = .null
    case 1: self = .integer(try reader.readZigZag())
    case 2: self = .real(try reader.readDoubleLittleEndian())
    case 3: self = .boolean(try reader.readByte() != 0)
    case 4: self = .bytes(Array(try reader.readBytes(Int(clamping: try reader.readVarint()))))
    default: throw ByteReaderError.unexpectedValue(offset: reader.offset - 1)
    }
  }
}

extension GroupValue {
  /// A group's values: their count, then each.
  static func encode(_ values: [GroupValue], to out: inout ByteWriter) {
    out.writeVarint(UInt64(values.count))
    for value in values { value.encode(to: &out) }
  }

  static func values(from reader: inout ByteReader) throws(ByteReaderError) -> [GroupValue] {
    var values: [GroupValue] = []
    for _ in 0..<(try reader.readVarint()) { values.append(try GroupValue(from: &reader)) }
    return values
  }
}

extension Accumulator: StateValue {
  func encode(to out: inout ByteWriter) {
    out.writeVarint(UInt64(counts.count))
    for index in counts.indices {
      out.writeZigZag(counts[index])
      out.writeZigZag(integers[index])
      out.writeDoubleLittleEndian(reals[index])
      values[index].encode(to: &out)
      out.writeZigZag(times[index])
      out.writeVarint(UInt64(distinct[index].count))
      for value in distinct[index] { value.encode(to: &out) }
    }
  }

  init(from reader: inout ByteReader) throws(ByteReaderError) {
    let measures = Int(clamping: try reader.readVarint())
    guard measures <= reader.remaining else { throw ByteReaderError.unexpectedValue(offset: reader.offset) }
    self.init(measures: measures)
    for index in 0..<measures {
      counts[index] = try reader.readZigZag()
      integers[index] = try reader.readZigZag()
      reals[index] = try reader.readDoubleLittleEndian()
      values[index] = try GroupValue(from: &reader)
      times[index] = try reader.readZigZag()
      for _ in 0..<(try reader.readVarint()) { distinct[index].insert(try GroupValue(from: &reader)) }
    }
  }
}
