import MeshDiagnostics

/// The schema as Avro JSON with everything it says — logical types, docs, aliases,
/// defaults, meshc's `pii` and `classification` — for the headers of files that other
/// tools read (Avro containers, Parquet's key-value metadata) and for `meshc schema`.
/// Named types are written in full at their first use and by full name after it.
extension Schema {
  public var jsonText: String {
    var out = JSONWriter()
    var written = Set<String>()
    write(root, into: &out, written: &written)
    return out.text
  }

  private func write(_ type: AvroType, into out: inout JSONWriter, written: inout Set<String>) {
    switch type {
    case .primitive(let primitive, let logical):
      guard let logical else { return out.string(primitive.rawValue) }
      out.beginObject()
      out.key("type")
      out.string(primitive.rawValue)
      Self.writeLogical(logical, into: &out)
      out.endObject()
    case .array(let items): writeCollection("array", "items", items, into: &out, written: &written)
    case .map(let values): writeCollection("map", "values", values, into: &out, written: &written)
    case .union(let branches):
      out.beginArray()
      for branch in branches { write(branch, into: &out, written: &written) }
      out.endArray()
    case .named(let name):
      guard let definition = named[name], written.insert(name).inserted else { return out.string(name) }
      writeDefinition(definition, into: &out, written: &written)
    }
  }

  /// `{"type": "array", "items": …}` and `{"type": "map", "values": …}`.
  private func writeCollection(
    _ kind: String, _ key: String, _ inner: AvroType, into out: inout JSONWriter, written: inout Set<String>
  ) {
    out.beginObject()
    out.key("type")
    out.string(kind)
    out.key(key)
    write(inner, into: &out, written: &written)
    out.endObject()
  }

  private func writeDefinition(_ definition: NamedType, into out: inout JSONWriter, written: inout Set<String>) {
    out.beginObject()
    out.key("type")
    out.string(definition.kindName)
    out.key("name")
    out.string(definition.fullName)
    Self.writeList("aliases", definition.aliases, into: &out)
    switch definition {
    case .record(let record):
      Self.writeDoc(record.doc, into: &out)
      out.key("fields")
      out.beginArray()
      for field in record.fields {
        out.beginObject()
        out.key("name")
        out.string(field.name)
        out.key("type")
        write(field.type, into: &out, written: &written)
        Self.writeDoc(field.doc, into: &out)
        if let value = field.defaultValue {
          out.key("default")
          Self.writeValue(value, into: &out)
        }
        if field.order != .ascending {
          out.key("order")
          out.string(field.order.rawValue)
        }
        Self.writeList("aliases", field.aliases, into: &out)
        if field.pii {
          out.key("pii")
          out.bool(true)
        }
        if let classification = field.classification {
          out.key("classification")
          out.string(classification)
        }
        out.endObject()
      }
      out.endArray()
    case .enumeration(let enumeration):
      Self.writeDoc(enumeration.doc, into: &out)
      out.key("symbols")
      out.beginArray()
      for symbol in enumeration.symbols { out.string(symbol) }
      out.endArray()
      if let symbol = enumeration.defaultSymbol {
        out.key("default")
        out.string(symbol)
      }
    case .fixed(let fixed):
      out.key("size")
      out.number(fixed.size)
      if let logical = fixed.logical { Self.writeLogical(logical, into: &out) }
    }
    out.endObject()
  }

  private static func writeLogical(_ logical: LogicalType, into out: inout JSONWriter) {
    out.key("logicalType")
    switch logical {
    case .decimal(let precision, let scale):
      out.string("decimal")
      out.key("precision")
      out.number(precision)
      out.key("scale")
      out.number(scale)
    default:
      out.string(logical.description)
    }
  }

  private static func writeDoc(_ doc: String?, into out: inout JSONWriter) {
    guard let doc else { return }
    out.key("doc")
    out.string(doc)
  }

  private static func writeList(_ key: String, _ items: [String], into out: inout JSONWriter) {
    guard !items.isEmpty else { return }
    out.key(key)
    out.beginArray()
    for item in items { out.string(item) }
    out.endArray()
  }

  static func writeValue(_ value: SourceValue, into out: inout JSONWriter) {
    switch value.content {
    case .null: out.null()
    case .bool(let flag): out.bool(flag)
    case .number(let text): out.raw(Array(text.utf8))
    case .string(let text): out.string(text)
    case .array(let items):
      out.beginArray()
      for item in items { writeValue(item, into: &out) }
      out.endArray()
    case .object(let members):
      out.beginObject()
      for member in members {
        out.key(member.key)
        writeValue(member.value, into: &out)
      }
      out.endObject()
    }
  }
}
