public import MeshData
import MeshDiagnostics
public import MeshSchema

extension RecordSchema {
  /// An Avro schema whose binary encoding holds these columns, so that an operator can
  /// keep rows of any step as bytes (`BatchEncoder`) and read them back (`BatchDecoder`):
  /// nullable fields become `[null, T]`, logical types keep their unit, records and enums
  /// keep their names (made valid and unique; one used twice is defined once). Nil for
  /// opaque columns whose Avro type names other types, which a step's schema alone
  /// cannot define.
  public var avroSchema: Schema? {
    var writer = AvroSchemaWriter()
    var out = JSONWriter()
    guard writer.record(self, into: &out) else { return nil }
    let (schema, diagnostics) = Schema.parse(SourceFile(path: "<\(name)>", text: out.text))
    return diagnostics.hasErrors ? nil : schema
  }
}

/// Writes column types as Avro JSON; names each record and enum once.
private struct AvroSchemaWriter {
  private var used = Set<String>()
  private var enums: [String: String] = [:]
  private var records: [RecordSchema: String] = [:]

  mutating func record(_ record: RecordSchema, into out: inout JSONWriter) -> Bool {
    if let written = records[record] {
      out.string(written)
      return true
    }
    let name = unique(record.name)
    records[record] = name
    out.beginObject()
    out.key("type")
    out.string("record")
    out.key("name")
    out.string(name)
    out.key("fields")
    out.beginArray()
    for field in record.fields {
      out.beginObject()
      out.key("name")
      out.string(field.name)
      out.key("type")
      if field.nullable {
        out.beginArray()
        out.string("null")
      }
      guard type(field.type, into: &out) else { return false }
      if field.nullable { out.endArray() }
      out.endObject()
    }
    out.endArray()
    out.endObject()
    return true
  }

  private mutating func type(_ type: DataType, into out: inout JSONWriter) -> Bool {
    switch type {
    case .null: out.string("null")
    case .boolean: out.string("boolean")
    case .int32: out.string("int")
    case .int64, .duration: out.string("long")
    case .float32: out.string("float")
    case .float64: out.string("double")
    case .string: out.string("string")
    case .bytes: out.string("bytes")
    case .uuid: logical("string", "uuid", into: &out)
    case .date: logical("int", "date", into: &out)
    case .time(let unit): logical(unit == .millis ? "int" : "long", "time-\(unit.rawValue)", into: &out)
    case .timestamp(let unit, let utc): logical("long", "\(utc ? "" : "local-")timestamp-\(unit.rawValue)", into: &out)
    case .decimal(let precision, let scale):
      out.beginObject()
      out.key("type")
      out.string("bytes")
      out.key("logicalType")
      out.string("decimal")
      out.key("precision")
      out.number(precision)
      out.key("scale")
      out.number(scale)
      out.endObject()
    case .fixed(let size):
      out.beginObject()
      out.key("type")
      out.string("fixed")
      out.key("name")
      out.string(unique("fixed\(size)"))
      out.key("size")
      out.number(size)
      out.endObject()
    case .enumeration(let name, let symbols):
      if let written = enums[name] {
        out.string(written)
        return true
      }
      let written = unique(name)
      enums[name] = written
      out.beginObject()
      out.key("type")
      out.string("enum")
      out.key("name")
      out.string(written)
      out.key("symbols")
      out.beginArray()
      for symbol in symbols { out.string(symbol) }
      out.endArray()
      out.endObject()
    case .record(let record): return self.record(record, into: &out)
    case .array(let element, let nullable): return collection("array", "items", element, nullable, into: &out)
    case .map(let value, let nullable): return collection("map", "values", value, nullable, into: &out)
    case .opaque(let avro): return opaque(avro, into: &out)
    }
    return true
  }

  private func logical(_ primitive: String, _ logical: String, into out: inout JSONWriter) {
    out.beginObject()
    out.key("type")
    out.string(primitive)
    out.key("logicalType")
    out.string(logical)
    out.endObject()
  }

  private mutating func collection(
    _ kind: String, _ key: String, _ inner: DataType, _ nullable: Bool, into out: inout JSONWriter
  ) -> Bool {
    out.beginObject()
    out.key("type")
    out.string(kind)
    out.key(key)
    if nullable {
      out.beginArray()
      out.string("null")
    }
    guard type(inner, into: &out) else { return false }
    if nullable { out.endArray() }
    out.endObject()
    return true
  }

  private func opaque(_ avro: AvroType, into out: inout JSONWriter) -> Bool {
    switch avro {
    case .primitive(let primitive, let logical):
      guard let logical else {
        out.string(primitive.rawValue)
        return true
      }
      if case .decimal = logical { return false }
      self.logical(primitive.rawValue, logical.description, into: &out)
    case .array(let items):
      out.beginObject()
      out.key("type")
      out.string("array")
      out.key("items")
      guard opaque(items, into: &out) else { return false }
      out.endObject()
    case .map(let values):
      out.beginObject()
      out.key("type")
      out.string("map")
      out.key("values")
      guard opaque(values, into: &out) else { return false }
      out.endObject()
    case .union(let branches):
      out.beginArray()
      for branch in branches { guard opaque(branch, into: &out) else { return false } }
      out.endArray()
    case .named: return false
    }
    return true
  }

  /// A valid Avro name not used before in this schema.
  private mutating func unique(_ name: String) -> String {
    var base = String(
      name.split(separator: ".").last.map(String.init)?.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" }
        ?? [])
    if base.first.map({ !$0.isLetter && $0 != "_" }) ?? true { base = "_" + base }
    var candidate = base
    var suffix = 1
    while !used.insert(candidate).inserted {
      suffix += 1
      candidate = "\(base)_\(suffix)"
    }
    return candidate
  }
}
