import MeshBytes

/// Avro's binary encoding (specification §"Binary Encoding"): zig-zag varints for int
/// and long, little-endian IEEE floats, length-prefixed bytes and strings, blocks for
/// arrays and maps, the branch index before a union's value. Encoding checks the value
/// against the type; decoding checks every length, index and count against the input,
/// so damaged bytes give an error, never a trap or a runaway allocation.
public struct AvroBinary: Sendable {
  public let schema: Schema

  public init(_ schema: Schema) { self.schema = schema }

  public func encode(_ value: AvroValue) throws(AvroValueError) -> [UInt8] {
    var writer = ByteWriter()
    try encode(value, as: schema.root, path: "", into: &writer)
    return writer.bytes
  }

  public func decode(_ bytes: [UInt8]) throws(AvroValueError) -> AvroValue {
    var reader = ByteReader(bytes)
    let value = try decode(schema.root, path: "", depth: 0, from: &reader)
    guard reader.isAtEnd else { throw AvroValueError("\(reader.remaining) bytes left after the value", at: "") }
    return value
  }

  /// One value of `type` (which may name this schema's types) from the reader's position.
  public func decode(_ type: AvroType, from reader: inout ByteReader) throws(AvroValueError) -> AvroValue {
    try decode(type, path: "", depth: 0, from: &reader)
  }

  /// One value of `type` appended to the writer.
  public func encode(_ value: AvroValue, as type: AvroType, into writer: inout ByteWriter) throws(AvroValueError) {
    try encode(value, as: type, path: "", into: &writer)
  }

  // MARK: encoding

  func encode(_ value: AvroValue, as type: AvroType, path: String, into writer: inout ByteWriter) throws(AvroValueError)
  {
    switch (type, value) {
    case (.primitive(.null, _), .null): break
    case (.primitive(.boolean, _), .boolean(let flag)): writer.write(flag ? 1 : 0)
    case (.primitive(.int, _), .int(let number)): writer.writeZigZag(Int64(number))
    case (.primitive(.long, _), .long(let number)): writer.writeZigZag(number)
    case (.primitive(.float, _), .float(let number)): writer.writeFloatLittleEndian(number)
    case (.primitive(.double, _), .double(let number)): writer.writeDoubleLittleEndian(number)
    case (.primitive(.bytes, _), .bytes(let bytes)):
      writer.writeZigZag(Int64(bytes.count))
      writer.write(bytes)
    case (.primitive(.string, _), .string(let text)):
      writer.writeZigZag(Int64(text.utf8.count))
      writer.write(text.utf8)
    case (.array(let items), .array(let values)):
      if !values.isEmpty {
        writer.writeZigZag(Int64(values.count))
        for (index, item) in values.enumerated() {
          try encode(item, as: items, path: "\(path)[\(index)]", into: &writer)
        }
      }
      writer.write(0)
    case (.map(let valueType), .map(let entries)):
      if !entries.isEmpty {
        writer.writeZigZag(Int64(entries.count))
        for entry in entries {
          writer.writeZigZag(Int64(entry.key.utf8.count))
          writer.write(entry.key.utf8)
          try encode(entry.value, as: valueType, path: "\(path){\(entry.key)}", into: &writer)
        }
      }
      writer.write(0)
    case (.union(let branches), .union(let branch, let inner)):
      guard branches.indices.contains(branch) else {
        throw AvroValueError("union branch \(branch) does not exist", at: path)
      }
      writer.writeZigZag(Int64(branch))
      try encode(inner, as: branches[branch], path: path, into: &writer)
    case (.named(let name), _):
      try encodeNamed(value, name, path: path, into: &writer)
    default:
      throw AvroValueError("\(value.kindName) does not fit type \(type.displayName)", at: path)
    }
  }

  private func encodeNamed(
    _ value: AvroValue, _ name: String, path: String, into writer: inout ByteWriter
  )
    throws(AvroValueError)
  {
    switch (schema.definition(name), value) {
    case (.record(let record)?, .record(let fields)):
      guard fields.count == record.fields.count else {
        throw AvroValueError("record '\(name)' has \(record.fields.count) fields, the value \(fields.count)", at: path)
      }
      for (field, fieldValue) in zip(record.fields, fields) {
        try encode(fieldValue, as: field.type, path: Self.join(path, field.name), into: &writer)
      }
    case (.enumeration(let enumeration)?, .enumeration(let index, _)):
      guard enumeration.symbols.indices.contains(index) else {
        throw AvroValueError("enum '\(name)' has no symbol \(index)", at: path)
      }
      writer.writeZigZag(Int64(index))
    case (.fixed(let fixed)?, .fixed(let bytes)):
      guard bytes.count == fixed.size else {
        throw AvroValueError("fixed '\(name)' holds \(fixed.size) bytes, the value \(bytes.count)", at: path)
      }
      writer.write(bytes)
    default:
      throw AvroValueError("\(value.kindName) does not fit type '\(name)'", at: path)
    }
  }

  static func join(_ path: String, _ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }

  // MARK: decoding

  /// How deeply values may nest (records in records, unions, arrays, maps). A recursive
  /// schema (`Node {next: [null, Node]}`) lets each byte or two of input open a level, so
  /// without a bound a kilobyte of hostile input overflows the stack; deeper data is an
  /// error.
  public static let maxDepth = 100

  func decode(
    _ type: AvroType, path: String, depth: Int, from reader: inout ByteReader
  ) throws(AvroValueError) -> AvroValue {
    guard depth <= AvroBinary.maxDepth else {
      throw AvroValueError("values nested more than \(AvroBinary.maxDepth) levels deep", at: path)
    }
    do {
      switch type {
      case .primitive(let primitive, _):
        switch primitive {
        case .null: return .null
        case .boolean:
          let byte = try reader.readByte()
          guard byte <= 1 else { throw AvroValueError("boolean byte \(byte) is neither 0 nor 1", at: path) }
          return .boolean(byte == 1)
        case .int:
          let number = try reader.readZigZag()
          guard let narrow = Int32(exactly: number) else {
            throw AvroValueError("int \(number) out of range", at: path)
          }
          return .int(narrow)
        case .long: return .long(try reader.readZigZag())
        case .float: return .float(try reader.readFloatLittleEndian())
        case .double: return .double(try reader.readDoubleLittleEndian())
        case .bytes: return .bytes(Array(try reader.readBytes(try length(&reader, path: path))))
        case .string:
          let bytes = try reader.readBytes(try length(&reader, path: path))
          guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AvroValueError("string is not valid UTF-8", at: path)
          }
          return .string(text)
        }
      case .array(let items):
        var values: [AvroValue] = []
        try forEachBlockItem(&reader, itemType: items, path: path) {
          (reader: inout ByteReader) throws(AvroValueError) in
          values.append(try decode(items, path: "\(path)[\(values.count)]", depth: depth + 1, from: &reader))
        }
        return .array(values)
      case .map(let valueType):
        var entries: [AvroValue.MapEntry] = []
        try forEachBlockItem(&reader, itemType: valueType, path: path) {
          (reader: inout ByteReader) throws(AvroValueError) in
          let keyBytes = try bytes(&reader, path: path)
          guard let key = String(validating: keyBytes, as: UTF8.self) else {
            throw AvroValueError("map key is not valid UTF-8", at: path)
          }
          entries.append(
            AvroValue.MapEntry(
              key: key, value: try decode(valueType, path: "\(path){\(key)}", depth: depth + 1, from: &reader)))
        }
        return .map(entries)
      case .union(let branches):
        let index = try reader.readZigZag()
        guard index >= 0, index < branches.count else {
          throw AvroValueError("union branch index \(index) out of range 0..<\(branches.count)", at: path)
        }
        return .union(
          branch: Int(index), value: try decode(branches[Int(index)], path: path, depth: depth + 1, from: &reader))
      case .named(let name):
        return try decodeNamed(name, path: path, depth: depth, from: &reader)
      }
    } catch let error as ByteReaderError {
      throw AvroValueError("\(error)", at: path)
    } catch let error as AvroValueError {
      throw error
    } catch {
      throw AvroValueError("\(error)", at: path)
    }
  }

  private func decodeNamed(
    _ name: String, path: String, depth: Int, from reader: inout ByteReader
  ) throws(AvroValueError) -> AvroValue {
    switch schema.definition(name) {
    case .record(let record)?:
      var fields: [AvroValue] = []
      fields.reserveCapacity(record.fields.count)
      for field in record.fields {
        fields.append(try decode(field.type, path: Self.join(path, field.name), depth: depth + 1, from: &reader))
      }
      return .record(fields)
    case .enumeration(let enumeration)?:
      let index: Int64
      do { index = try reader.readZigZag() } catch { throw AvroValueError("\(error)", at: path) }
      guard index >= 0, index < enumeration.symbols.count else {
        throw AvroValueError("enum index \(index) out of range 0..<\(enumeration.symbols.count)", at: path)
      }
      return .enumeration(index: Int(index), symbol: enumeration.symbols[Int(index)])
    case .fixed(let fixed)?:
      do { return .fixed(Array(try reader.readBytes(fixed.size))) } catch { throw AvroValueError("\(error)", at: path) }
    case nil:
      throw AvroValueError("type '\(name)' is not defined", at: path)
    }
  }

  private func length(_ reader: inout ByteReader, path: String) throws -> Int {
    let length = try reader.readZigZag()
    guard length >= 0, length <= Int64(reader.remaining) else {
      throw AvroValueError("length \(length) is negative or beyond the \(reader.remaining) bytes left", at: path)
    }
    return Int(length)
  }

  private func bytes(_ reader: inout ByteReader, path: String) throws(AvroValueError) -> ArraySlice<UInt8> {
    do { return try reader.readBytes(try length(&reader, path: path)) } catch let error as AvroValueError {
      throw error
    } catch { throw AvroValueError("\(error)", at: path) }
  }

  /// The most items of an array or map whose items take no bytes (nulls, empty records):
  /// their count is bounded by nothing else, and a few bytes must not make the decoder
  /// build millions of values (10,000,000 did: 4 bytes, hundreds of MB, minutes of work).
  public static let maxItemsWithoutBytes = 65_536

  /// Whether a value of `type` can take no bytes at all: null, a fixed of size 0, or a
  /// record of such fields (a record still being looked at, through recursion, cannot).
  func encodesInNoBytes(_ type: AvroType, visiting: Set<String> = []) -> Bool {
    switch type {
    case .primitive(.null, _): return true
    case .primitive, .array, .map, .union: return false
    case .named(let name):
      guard !visiting.contains(name) else { return false }
      switch schema.definition(name) {
      case .fixed(let fixed)?: return fixed.size == 0
      case .record(let record)?:
        let inside = visiting.union([name])
        return record.fields.allSatisfy { encodesInNoBytes($0.type, visiting: inside) }
      case .enumeration?, nil: return false
      }
    }
  }

  /// Arrays and maps are blocks: a count (negative: followed by the block's byte size),
  /// items, until a zero count. Counts are bounded by the bytes left, except for items
  /// that encode in no bytes, which are capped so a forged count cannot loop for ever.
  private func forEachBlockItem(
    _ reader: inout ByteReader, itemType: AvroType, path: String,
    _ body: (inout ByteReader) throws(AvroValueError) -> Void
  ) throws(AvroValueError) {
    var total = 0
    while true {
      var count: Int64
      do {
        count = try reader.readZigZag()
        if count < 0 {
          count = count == Int64.min ? Int64.max : -count
          _ = try reader.readZigZag()
        }
      } catch { throw AvroValueError("\(error)", at: path) }
      if count == 0 { return }
      let limit = encodesInNoBytes(itemType) ? Self.maxItemsWithoutBytes : reader.remaining
      guard count <= Int64(limit - min(total, limit)) else {
        throw AvroValueError(
          "block count \(count) exceeds what the remaining \(reader.remaining) bytes can hold", at: path)
      }
      for _ in 0..<count { try body(&reader) }
      total += Int(count)
    }
  }
}

extension AvroValue {
  var kindName: String {
    switch self {
    case .null: "null"
    case .boolean: "a boolean"
    case .int: "an int"
    case .long: "a long"
    case .float: "a float"
    case .double: "a double"
    case .bytes: "bytes"
    case .string: "a string"
    case .record: "a record"
    case .enumeration: "an enum symbol"
    case .array: "an array"
    case .map: "a map"
    case .fixed: "fixed bytes"
    case .union: "a union value"
    }
  }
}

extension AvroType {
  var displayName: String {
    switch self {
    case .primitive(let primitive, _): "'\(primitive.rawValue)'"
    case .named(let name): "'\(name)'"
    case .array: "array"
    case .map: "map"
    case .union: "union"
    }
  }
}

extension Schema {
  /// Nil when `value` is a valid value of this schema, else the first problem with its
  /// path (`Order.items[2].price`).
  public func validate(_ value: AvroValue) -> AvroValueError? {
    do {
      _ = try AvroBinary(self).encode(value)
      return nil
    } catch {
      return error
    }
  }
}
