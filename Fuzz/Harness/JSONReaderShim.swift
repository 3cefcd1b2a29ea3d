import MeshDiagnostics
import MeshSchema

/// The schema reader's JSON tree, for the JSON target: read bytes, write a tree back.
enum JSONReaderShim {
  static func read(_ bytes: [UInt8]) -> (SourceValue?, hasErrors: Bool) {
    let (value, diagnostics) = JSONReader.read(SourceFile(path: "fuzz.json", bytes: bytes))
    // Duplicate keys are the reader's own finding on valid JSON, not a syntax error.
    let syntax = diagnostics.all.contains { $0.code != .schemaDuplicateKey }
    return (value, syntax)
  }

  static func write(_ value: SourceValue, into writer: inout JSONWriter) {
    switch value.content {
    case .null: writer.null()
    case .bool(let flag): writer.bool(flag)
    case .number(let digits): writer.raw(digits.utf8)
    case .string(let text): writer.string(text)
    case .array(let items):
      writer.beginArray()
      for item in items { write(item, into: &writer) }
      writer.endArray()
    case .object(let members):
      writer.beginObject()
      for member in members {
        writer.key(member.key)
        write(member.value, into: &writer)
      }
      writer.endObject()
    }
  }
}
