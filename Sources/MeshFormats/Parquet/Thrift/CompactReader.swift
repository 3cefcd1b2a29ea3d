/// Reads Thrift compact protocol into `ThriftValue` trees, from outside bytes: every
/// count is checked against the bytes left (each element takes at least one), nesting
/// is bounded, and any malformed byte is a `FormatError` naming its offset.
public struct CompactReader {
  public static let maxDepth = 64

  private let bytes: UnsafeRawBufferPointer
  public private(set) var offset: Int
  private var depth = 0

  public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  /// Reads one struct from the start of `bytes`; returns it and the bytes it took.
  public static func readStruct(_ bytes: [UInt8]) throws(FormatError) -> (ThriftStruct, Int) {
    let result = bytes.withUnsafeBytes { raw in
      Result { () throws(FormatError) in
        var reader = CompactReader(raw)
        let value = try reader.readStruct()
        return (value, reader.offset)
      }
    }
    return try result.get()
  }

  public mutating func readStruct() throws(FormatError) -> ThriftStruct {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw FormatError("Thrift structs nest deeper than \(Self.maxDepth) at byte \(offset)")
    }
    var result = ThriftStruct()
    var last: Int16 = 0
    while true {
      let header = try byte()
      if header == 0 { return result }
      let code = header & 0x0F
      let delta = header >> 4
      let id: Int16
      if delta != 0 {
        let (sum, overflow) = last.addingReportingOverflow(Int16(delta))
        guard !overflow else { throw FormatError("a Thrift field id overflows at byte \(offset)") }
        id = sum
      } else {
        guard let wide = Int16(exactly: try zigzag()) else {
          throw FormatError("a Thrift field id is out of range at byte \(offset)")
        }
        id = wide
      }
      last = id
      let value: ThriftValue
      switch code {
      case 1: value = .bool(true)
      case 2: value = .bool(false)
      default: value = try read(type(code))
      }
      result.fields.append((id, value))
    }
  }

  private mutating func read(_ type: ThriftType) throws(FormatError) -> ThriftValue {
    switch type {
    case .bool:
      let flag = try byte()
      return .bool(flag == 1)
    case .byte: return .byte(Int8(bitPattern: try byte()))
    case .i16:
      guard let value = Int16(exactly: try zigzag()) else {
        throw FormatError("an i16 is out of range at byte \(offset)")
      }
      return .i16(value)
    case .i32:
      guard let value = Int32(exactly: try zigzag()) else {
        throw FormatError("an i32 is out of range at byte \(offset)")
      }
      return .i32(value)
    case .i64: return .i64(try zigzag())
    case .double:
      guard bytes.count - offset >= 8 else { throw truncated() }
      var bits: UInt64 = 0
      for index in 0..<8 { bits |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
      offset += 8
      return .double(Double(bitPattern: bits))
    case .binary:
      let count = try count()
      defer { offset += count }
      return .binary(Array(bytes[offset..<(offset + count)]))
    case .list, .set:
      let header = try byte()
      let element = try elementType(header & 0x0F)
      let count = header >> 4 == 15 ? try count() : Int(header >> 4)
      guard count <= bytes.count - offset else {
        throw FormatError("a Thrift list of \(count) items runs past the end at byte \(offset)")
      }
      var items: [ThriftValue] = []
      items.reserveCapacity(count)
      try nested { (reader: inout CompactReader) throws(FormatError) in
        for _ in 0..<count { items.append(try reader.read(element)) }
      }
      return type == .list ? .list(element, items) : .set(element, items)
    case .map:
      let count = try count()
      guard count > 0 else { return .map(key: .binary, value: .binary, []) }
      let header = try byte()
      let key = try elementType(header >> 4)
      let value = try elementType(header & 0x0F)
      var entries: [(ThriftValue, ThriftValue)] = []
      try nested { (reader: inout CompactReader) throws(FormatError) in
        for _ in 0..<count { entries.append((try reader.read(key), try reader.read(value))) }
      }
      return .map(key: key, value: value, entries)
    case .structure:
      return .structure(try readStruct())
    }
  }

  private mutating func nested(_ body: (inout CompactReader) throws(FormatError) -> Void) throws(FormatError) {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw FormatError("Thrift values nest deeper than \(Self.maxDepth) at byte \(offset)")
    }
    try body(&self)
  }

  private func type(_ code: UInt8) throws(FormatError) -> ThriftType {
    guard let type = ThriftType(rawValue: code) else {
      throw FormatError("unknown Thrift type \(code) at byte \(offset)")
    }
    return type
  }

  /// Element types: booleans are 1 (or 2, which some writers use) in lists.
  private func elementType(_ code: UInt8) throws(FormatError) -> ThriftType { code == 2 ? .bool : try type(code) }

  private mutating func byte() throws(FormatError) -> UInt8 {
    guard offset < bytes.count else { throw truncated() }
    defer { offset += 1 }
    return bytes[offset]
  }

  private mutating func varint() throws(FormatError) -> UInt64 {
    var result: UInt64 = 0
    for shift in stride(from: UInt64(0), to: 70, by: 7) {
      let next = try byte()
      guard shift < 64 else { throw FormatError("a varint is longer than ten bytes at byte \(offset)") }
      result |= UInt64(next & 0x7F) << shift
      if next & 0x80 == 0 { return result }
    }
    throw FormatError("a varint is longer than ten bytes at byte \(offset)")
  }

  private mutating func zigzag() throws(FormatError) -> Int64 {
    let raw = try varint()
    return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
  }

  /// A length or count: it must fit the bytes that remain.
  private mutating func count() throws(FormatError) -> Int {
    let raw = try varint()
    guard raw <= UInt64(bytes.count - offset) else {
      throw FormatError("a Thrift length of \(raw) runs past the end at byte \(offset)")
    }
    return Int(raw)
  }

  private func truncated() -> FormatError { FormatError("Thrift data ends early at byte \(offset)") }
}
