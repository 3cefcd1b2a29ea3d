public import MeshData
import MeshDiagnostics

/// An Avro schema for records read from a file that carries none: what `meshc schema`
/// prints and what encodes the records for the log. Names that Avro does not allow are
/// rewritten (`[A-Za-z_][A-Za-z0-9_]*`); nullable fields are `["null", T]` with a null default.
extension RecordSchema {
  public var avroJSONText: String {
    var out = JSONWriter()
    var names = Set<String>()
    Self.writeRecord(self, name: name, into: &out, names: &names)
    return String(decoding: out.bytes, as: UTF8.self)
  }

  private static func writeRecord(
    _ record: RecordSchema, name: String, into out: inout JSONWriter, names: inout Set<String>
  ) {
    out.beginObject()
    out.key("type")
    out.string("record")
    out.key("name")
    out.string(unique(avroName(name), &names))
    out.key("fields")
    out.beginArray()
    for field in record.fields {
      out.beginObject()
      out.key("name")
      out.string(avroName(field.name))
      out.key("type")
      let nullable = field.nullable && field.type != .null
      if nullable {
        out.beginArray()
        out.string("null")
      }
      write(field.type, name: "\(name)_\(field.name)", into: &out, names: &names)
      if nullable {
        out.endArray()
        out.key("default")
        out.null()
      }
      out.endObject()
    }
    out.endArray()
    out.endObject()
  }

  private static func write(_ type: DataType, name: String, into out: inout JSONWriter, names: inout Set<String>) {
    func logical(_ primitive: String, _ logical: String) {
      out.beginObject()
      out.key("type")
      out.string(primitive)
      out.key("logicalType")
      out.string(logical)
      out.endObject()
    }
    switch type {
    case .null: out.string("null")
    case .boolean: out.string("boolean")
    case .int32: out.string("int")
    case .int64, .duration, .time(.nanos): out.string("long")
    case .float32: out.string("float")
    case .float64: out.string("double")
    case .string: out.string("string")
    case .bytes, .opaque: out.string("bytes")
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
      out.string(unique(avroName(name), &names))
      out.key("size")
      out.number(size)
      out.endObject()
    case .uuid: logical("string", "uuid")
    case .enumeration(let enumName, let symbols):
      out.beginObject()
      out.key("type")
      out.string("enum")
      out.key("name")
      out.string(unique(avroName(enumName), &names))
      out.key("symbols")
      out.beginArray()
      for symbol in symbols { out.string(symbol) }
      out.endArray()
      out.endObject()
    case .date: logical("int", "date")
    case .time(.millis): logical("int", "time-millis")
    case .time(_): logical("long", "time-micros")
    case .timestamp(let unit, let utc): logical("long", "\(utc ? "" : "local-")timestamp-\(unit.rawValue)")
    case .record(let record): writeRecord(record, name: name, into: &out, names: &names)
    case .array(let element, let elementNullable), .map(let element, let elementNullable):
      let nullable = elementNullable && element != .null
      let isArray = if case .array = type { true } else { false }
      out.beginObject()
      out.key("type")
      out.string(isArray ? "array" : "map")
      out.key(isArray ? "items" : "values")
      if nullable {
        out.beginArray()
        out.string("null")
      }
      write(element, name: "\(name)_item", into: &out, names: &names)
      if nullable { out.endArray() }
      out.endObject()
    }
  }

  static func avroName(_ name: String) -> String {
    var result = String(
      name.unicodeScalars.map { scalar in
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
          ? Character(scalar) : "_"
      })
    if result.isEmpty || result.first?.isNumber == true { result = "_" + result }
    return result
  }

  private static func unique(_ name: String, _ names: inout Set<String>) -> String {
    var candidate = name
    var suffix = 2
    while !names.insert(candidate).inserted {
      candidate = "\(name)_\(suffix)"
      suffix += 1
    }
    return candidate
  }
}
