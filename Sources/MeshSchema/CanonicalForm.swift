import MeshDiagnostics

/// Avro's Parsing Canonical Form: the schema stripped of everything that does not affect
/// how data is read (docs, aliases, defaults, logical types), with full names, fixed key
/// order (`name`, `type`, `fields`, `symbols`, `items`, `values`, `size`) and no spaces.
/// Two schemas with the same canonical form read the same bytes the same way.
extension Schema {
  public var canonicalForm: String {
    var out = ""
    var written = Set<String>()
    writeCanonical(root, into: &out, written: &written)
    return out
  }

  private func writeCanonical(_ type: AvroType, into out: inout String, written: inout Set<String>) {
    switch type {
    case .primitive(let primitive, _):
      out += "\"\(primitive.rawValue)\""
    case .array(let items):
      out += "{\"type\":\"array\",\"items\":"
      writeCanonical(items, into: &out, written: &written)
      out += "}"
    case .map(let values):
      out += "{\"type\":\"map\",\"values\":"
      writeCanonical(values, into: &out, written: &written)
      out += "}"
    case .union(let branches):
      out += "["
      for (index, branch) in branches.enumerated() {
        if index > 0 { out += "," }
        writeCanonical(branch, into: &out, written: &written)
      }
      out += "]"
    case .named(let name):
      // Later occurrences of a record or enum are just the name (which keeps recursive
      // records finite); fixed types are written in full each time. This is what the
      // specification's vectors and Apache Avro's reference implementations produce.
      guard let definition = named[name] else {
        out += JSONWriter.quote(name)
        return
      }
      if !(definition.kindName == "fixed"), !written.insert(name).inserted {
        out += JSONWriter.quote(name)
        return
      }
      switch definition {
      case .record(let record):
        out += "{\"name\":\(JSONWriter.quote(name)),\"type\":\"record\",\"fields\":["
        for (index, field) in record.fields.enumerated() {
          if index > 0 { out += "," }
          out += "{\"name\":\(JSONWriter.quote(field.name)),\"type\":"
          writeCanonical(field.type, into: &out, written: &written)
          out += "}"
        }
        out += "]}"
      case .enumeration(let enumeration):
        out += "{\"name\":\(JSONWriter.quote(name)),\"type\":\"enum\",\"symbols\":["
        out += enumeration.symbols.map(JSONWriter.quote).joined(separator: ",") + "]}"
      case .fixed(let fixed):
        out += "{\"name\":\(JSONWriter.quote(name)),\"type\":\"fixed\",\"size\":\(fixed.size)}"
      }
    }
  }

  /// CRC-64-AVRO (Rabin) of the canonical form: the schema's identity in Avro's
  /// single-object encoding and in schema registries.
  public var fingerprint: UInt64 { RabinFingerprint.of(Array(canonicalForm.utf8)) }
}

/// The 64-bit Rabin fingerprint the Avro specification defines (CRC-64-AVRO).
public enum RabinFingerprint {
  public static let empty: UInt64 = 0xC15D_213A_A4D7_A795

  static let table: [UInt64] = (0..<256).map { index in
    var fingerprint = UInt64(index)
    for _ in 0..<8 { fingerprint = (fingerprint >> 1) ^ (empty & (0 &- (fingerprint & 1))) }
    return fingerprint
  }

  public static func of(_ bytes: [UInt8]) -> UInt64 {
    var fingerprint = empty
    for byte in bytes {
      fingerprint = (fingerprint >> 8) ^ table[Int((fingerprint ^ UInt64(byte)) & 0xFF)]
    }
    return fingerprint
  }
}
