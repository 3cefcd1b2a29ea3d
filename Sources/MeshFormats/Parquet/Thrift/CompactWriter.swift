import MeshBytes

/// Writes Thrift compact protocol: field headers as deltas from the previous field's id,
/// integers as zig-zag varints, booleans folded into their field header.
public enum CompactWriter {
  public static func bytes(of value: ThriftStruct) -> [UInt8] {
    var out = ByteWriter(capacity: 256)
    write(value, into: &out)
    return out.bytes
  }

  public static func write(_ value: ThriftStruct, into out: inout ByteWriter) {
    var last: Int16 = 0
    for (id, field) in value.fields {
      // Booleans in a field carry their value in the header's type nibble: 1 true, 2 false.
      let code: UInt8 = if case .bool(let flag) = field { flag ? 1 : 2 } else { field.type.rawValue }
      let delta = Int(id) - Int(last)
      if delta > 0 && delta <= 15 {
        out.write(UInt8(delta) << 4 | code)
      } else {
        out.write(code)
        out.writeZigZag(Int64(id))
      }
      last = id
      if case .bool = field { continue }
      writeValue(field, into: &out)
    }
    out.write(0)
  }

  static func writeValue(_ value: ThriftValue, into out: inout ByteWriter) {
    switch value {
    case .bool(let flag): out.write(flag ? 1 : 2)
    case .byte(let byte): out.write(UInt8(bitPattern: byte))
    case .i16(let number): out.writeZigZag(Int64(number))
    case .i32(let number): out.writeZigZag(Int64(number))
    case .i64(let number): out.writeZigZag(number)
    case .double(let number): out.writeDoubleLittleEndian(number)
    case .binary(let bytes):
      out.writeVarint(UInt64(bytes.count))
      out.write(bytes)
    case .list(let element, let items), .set(let element, let items):
      if items.count < 15 {
        out.write(UInt8(items.count) << 4 | element.rawValue)
      } else {
        out.write(0xF0 | element.rawValue)
        out.writeVarint(UInt64(items.count))
      }
      for item in items { writeValue(item, into: &out) }
    case .map(let key, let valueType, let entries):
      out.writeVarint(UInt64(entries.count))
      guard !entries.isEmpty else { return }
      out.write(key.rawValue << 4 | valueType.rawValue)
      for (entryKey, entryValue) in entries {
        writeValue(entryKey, into: &out)
        writeValue(entryValue, into: &out)
      }
    case .structure(let nested): write(nested, into: &out)
    }
  }
}
