import MeshDiagnostics
import MeshFormats
import MeshSchema

extension MeshDriver {
  /// `meshc cat` of a file without a schema: CSV records as objects keyed by the header,
  /// every value its text; JSON Lines checked value by value and printed as they are. A
  /// record that does not read stops the file with a located E0901. Returns false once
  /// `output`'s reader has gone.
  static func catText(
    _ bytes: [UInt8], _ format: DataFileFormat, path: String, remaining: inout Int, into report: inout Report,
    output: (inout [UInt8]) -> Bool
  ) -> Bool {
    var out: [UInt8] = []
    func flush(force: Bool) -> Bool {
      guard force || out.count >= 64 * 1024 else { return true }
      return output(&out)
    }
    func damaged(_ message: String, line: Int, column: Int, help: String? = nil) {
      report.diagnostics.append(
        Diagnostic(
          .damagedDataFile, message, at: SourceRange(file: path, at: SourceLocation(line: line, column: column)),
          help: help))
    }
    switch format {
    case .csv(let delimiter):
      var reader = CSVReader(bytes: bytes, delimiter: delimiter)
      do throws(CSVError) {
        guard let header = try reader.next() else { return true }
        let names = header.fields.map { String(decoding: $0, as: UTF8.self) }
        while remaining > 0, let record = try reader.next() {
          guard record.count == names.count else {
            damaged(
              "a record of \(record.count) fields under a header of \(names.count)", line: record.line,
              column: record.columns.last ?? 1)
            break
          }
          var object = JSONWriter()
          object.beginObject()
          for (name, field) in zip(names, record.fields) {
            object.key(name)
            object.string(utf8: field)
          }
          object.endObject()
          out += object.bytes
          out.append(UInt8(ascii: "\n"))
          remaining -= 1
          if !flush(force: false) { return false }
        }
      } catch {
        damaged(error.message, line: error.line, column: error.column, help: error.help)
      }
    case .jsonLines:
      var line = 0
      var start = 0
      while remaining > 0, start < bytes.count {
        line += 1
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        defer { start = end + 1 }
        if bytes[start..<end].allSatisfy({ [0x20, 0x09, 0x0D].contains($0) }) { continue }
        var tokenizer = JSONTokenizer(bytes, in: start..<end)
        do throws(JSONSyntaxError) {
          let value = try tokenizer.skipValue()
          guard case .end = try tokenizer.next() else {
            damaged("text after the line's JSON value", line: line, column: tokenizer.tokenStart - start + 1)
            break
          }
          out += bytes[value]
          out.append(UInt8(ascii: "\n"))
          remaining -= 1
          if !flush(force: false) { return false }
        } catch {
          damaged("not JSON: \(error.message)", line: line, column: error.offset - start + 1)
          break
        }
      }
    case .avro, .parquet:
      break
    }
    return flush(force: true)
  }
}
