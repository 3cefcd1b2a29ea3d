import MeshDiagnostics

/// Avro's JSON encoding of values (specification §"JSON Encoding"): unions other than
/// null are wrapped as `{"<branch>": value}`, bytes and fixed are strings of code points
/// U+0000–U+00FF, enums are symbols. With `plainUnions`, values may also be given
/// unwrapped — what people type into `meshc produce` — and take the first branch that fits.
public struct AvroJSON: Sendable {
  public let schema: Schema
  public var plainUnions: Bool

  public init(_ schema: Schema, plainUnions: Bool = false) {
    self.schema = schema
    self.plainUnions = plainUnions
  }

  public func value(_ json: SourceValue) throws(AvroValueError) -> AvroValue {
    try value(json, as: schema.root, path: "")
  }

  public func value(_ json: SourceValue, as type: AvroType, path: String) throws(AvroValueError) -> AvroValue {
    let mismatch = AvroValueError("expected \(type.displayName), found \(json.kindDescription)", at: path)
    switch type {
    case .primitive(let primitive, _):
      switch (primitive, json.content) {
      case (.null, .null): return .null
      case (.boolean, .bool(let flag)): return .boolean(flag)
      case (.int, .number):
        guard let number = json.integer, let narrow = Int32(exactly: number) else {
          throw AvroValueError("expected an int, found \(json.number.map { "\($0)" } ?? "a number")", at: path)
        }
        return .int(narrow)
      case (.long, .number):
        guard let number = json.integer else { throw AvroValueError("expected a long (an integer)", at: path) }
        return .long(number)
      case (.float, .number):
        // A number past the type's range would silently become infinity.
        guard let number = json.number, number.isFinite, Float(number).isFinite else {
          throw AvroValueError("expected a float, found a number out of its range", at: path)
        }
        return .float(Float(number))
      case (.double, .number):
        guard let number = json.number, number.isFinite else {
          throw AvroValueError("expected a double, found a number out of its range", at: path)
        }
        return .double(number)
      case (.float, .string(let text)), (.double, .string(let text)):
        guard let special = ["NaN": Double.nan, "Infinity": .infinity, "-Infinity": -.infinity][text] else {
          throw mismatch
        }
        return primitive == .float ? .float(Float(special)) : .double(special)
      case (.string, .string(let text)): return .string(text)
      case (.bytes, .string(let text)): return .bytes(try Self.latin1(text, path: path))
      default: throw mismatch
      }
    case .array(let items):
      guard let elements = json.items else { throw mismatch }
      var values: [AvroValue] = []
      for (index, element) in elements.enumerated() {
        values.append(try value(element, as: items, path: "\(path)[\(index)]"))
      }
      return .array(values)
    case .map(let valueType):
      guard let members = json.members else { throw mismatch }
      var entries: [AvroValue.MapEntry] = []
      for member in members {
        entries.append(
          .init(key: member.key, value: try value(member.value, as: valueType, path: "\(path){\(member.key)}")))
      }
      return .map(entries)
    case .union(let branches):
      return try unionValue(json, branches, path: path)
    case .named(let name):
      return try namedValue(json, name, path: path)
    }
  }

  private func unionValue(_ json: SourceValue, _ branches: [AvroType], path: String) throws(AvroValueError) -> AvroValue
  {
    if case .null = json.content, let index = branches.firstIndex(of: .plain(.null)) {
      return .union(branch: index, value: .null)
    }
    if let members = json.members, members.count == 1,
      let index = branches.firstIndex(where: { branchName($0) == members[0].key })
    {
      return .union(branch: index, value: try value(members[0].value, as: branches[index], path: path))
    }
    if plainUnions {
      for (index, branch) in branches.enumerated() {
        if let found = try? value(json, as: branch, path: path) { return .union(branch: index, value: found) }
      }
    }
    throw AvroValueError(
      "expected one of the union's branches \(branches.map(branchName)) as {\"branch\": value}", at: path)
  }

  private func namedValue(_ json: SourceValue, _ name: String, path: String) throws(AvroValueError) -> AvroValue {
    switch schema.definition(name) {
    case .record(let record)?:
      guard json.members != nil else {
        throw AvroValueError("expected record '\(name)', found \(json.kindDescription)", at: path)
      }
      var fields: [AvroValue] = []
      for field in record.fields {
        let fieldPath = AvroBinary.join(path, field.name)
        if let member = json[field.name] {
          fields.append(try value(member, as: field.type, path: fieldPath))
        } else if let defaultValue = field.defaultValue {
          fields.append(try Self.defaultValue(defaultValue, for: field.type, in: schema, path: fieldPath))
        } else {
          throw AvroValueError("missing field '\(field.name)', which has no default", at: fieldPath)
        }
      }
      return .record(fields)
    case .enumeration(let enumeration)?:
      guard let symbol = json.string, let index = enumeration.symbols.firstIndex(of: symbol) else {
        throw AvroValueError(
          "expected a symbol of enum '\(name)': \(enumeration.symbols.joined(separator: ", "))", at: path)
      }
      return .enumeration(index: index, symbol: symbol)
    case .fixed(let fixed)?:
      guard let text = json.string else { throw AvroValueError("expected fixed '\(name)' as a string", at: path) }
      let bytes = try Self.latin1(text, path: path)
      guard bytes.count == fixed.size else {
        throw AvroValueError("fixed '\(name)' holds \(fixed.size) bytes, found \(bytes.count)", at: path)
      }
      return .fixed(bytes)
    case nil:
      throw AvroValueError("type '\(name)' is not defined", at: path)
    }
  }

  /// A field default: JSON encoding, except that a union's default is its first branch's
  /// value unwrapped.
  static func defaultValue(
    _ json: SourceValue, for type: AvroType, in schema: Schema, path: String
  )
    throws(AvroValueError) -> AvroValue
  {
    let reader = AvroJSON(schema)
    if case .union(let branches) = type, let first = branches.first {
      return .union(branch: 0, value: try reader.value(json, as: first, path: path))
    }
    return try reader.value(json, as: type, path: path)
  }

  static func latin1(_ text: String, path: String) throws(AvroValueError) -> [UInt8] {
    var bytes: [UInt8] = []
    for scalar in text.unicodeScalars {
      guard scalar.value <= 0xFF else { throw AvroValueError("bytes are code points U+0000–U+00FF", at: path) }
      bytes.append(UInt8(scalar.value))
    }
    return bytes
  }

  func branchName(_ type: AvroType) -> String {
    switch type {
    case .primitive(let primitive, _): primitive.rawValue
    case .named(let name): name
    case .array: "array"
    case .map: "map"
    case .union: "union"
    }
  }

  // MARK: writing

  /// The JSON text of a value (unions wrapped unless `plainUnions`).
  public func text(_ value: AvroValue) -> String {
    var writer = JSONWriter()
    write(value, as: schema.root, into: &writer)
    return writer.text
  }

  /// The JSON text of a value of one type of the schema.
  public func text(_ value: AvroValue, as type: AvroType) -> String {
    var writer = JSONWriter()
    write(value, as: type, into: &writer)
    return writer.text
  }

  func write(_ value: AvroValue, as type: AvroType, into out: inout JSONWriter) {
    switch (value, type) {
    case (.null, _): out.null()
    case (.boolean(let flag), _): out.bool(flag)
    case (.int(let number), _): out.number(number)
    case (.long(let number), _): out.number(number)
    case (.float(let number), _): out.raw(Self.number(Double(number)).utf8)
    case (.double(let number), _): out.raw(Self.number(number).utf8)
    case (.bytes(let bytes), _), (.fixed(let bytes), _):
      out.string(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })))
    case (.string(let text), _): out.string(text)
    case (.enumeration(_, let symbol), _): out.string(symbol)
    case (.array(let items), .array(let itemType)):
      out.beginArray()
      for item in items { write(item, as: itemType, into: &out) }
      out.endArray()
    case (.map(let entries), .map(let valueType)):
      out.beginObject()
      for entry in entries {
        out.key(entry.key)
        write(entry.value, as: valueType, into: &out)
      }
      out.endObject()
    case (.union(let branch, let inner), .union(let branches)) where branches.indices.contains(branch):
      if case .null = inner {
        out.null()
      } else if plainUnions {
        write(inner, as: branches[branch], into: &out)
      } else {
        out.beginObject()
        out.key(branchName(branches[branch]))
        write(inner, as: branches[branch], into: &out)
        out.endObject()
      }
    case (.record(let fields), .named(let name)):
      guard case .record(let record)? = schema.definition(name) else { return out.null() }
      out.beginObject()
      for (field, fieldValue) in zip(record.fields, fields) {
        out.key(field.name)
        write(fieldValue, as: field.type, into: &out)
      }
      out.endObject()
    default: out.null()
    }
  }

  /// Avro's JSON spelling of a double: integral values keep `.0`, and NaN and the
  /// infinities are the strings Avro's Java implementation writes.
  static func number(_ value: Double) -> String {
    if value.isNaN { return "\"NaN\"" }
    if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) + ".0" }
    return "\(value)"
  }
}
