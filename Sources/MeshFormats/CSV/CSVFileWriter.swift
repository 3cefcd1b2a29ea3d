import MeshBytes
public import MeshData
import MeshDiagnostics
public import MeshSchema

/// Writes records as CSV (RFC 4180): a header of the field names, then one line per
/// record, values as `CSVBatchReader` reads them back (the JSON mapping's text, unquoted:
/// decimals, ISO-8601 times, base64 bytes). A null is an empty field; an empty string is
/// `""`, so the two stay apart. Fields that hold the delimiter, a quote, a line break or
/// leading or trailing spaces are quoted. Records, arrays, maps and unions have no CSV form.
public final class CSVFileWriter: BatchFileWriter {
  public let schema: RecordSchema
  private let delimiter: UInt8
  private var output: [UInt8] = []

  public init(schema: RecordSchema, delimiter: UInt8 = UInt8(ascii: ",")) throws(FormatError) {
    for field in schema.fields {
      switch field.type {
      case .record, .array, .map, .opaque, .duration:
        throw FormatError("field \(field.name) is a \(field.type), which CSV cannot hold")
      default: break
      }
    }
    self.schema = schema
    self.delimiter = delimiter
    for (index, field) in schema.fields.enumerated() {
      if index > 0 { output.append(delimiter) }
      appendField(Array(field.name.utf8), to: &output)
    }
    output += [0x0D, 0x0A]
  }

  public func write(_ batch: RecordBatch) throws(FormatError) {
    for row in batch.rows {
      for (index, column) in batch.columns.enumerated() {
        if index > 0 { output.append(delimiter) }
        guard column.type != .null, !column.isNull(row) else { continue }
        appendField(Self.text(column, row), to: &output)
      }
      output += [0x0D, 0x0A]
    }
  }

  public func finish() throws(FormatError) {}

  public func takeOutput() -> [UInt8] {
    defer { output.removeAll(keepingCapacity: true) }
    return output
  }

  private func appendField(_ text: [UInt8], to out: inout [UInt8]) {
    let needsQuotes =
      text.isEmpty || text.first == 0x20 || text.last == 0x20
      || text.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    guard needsQuotes else { return out += text }
    out.append(0x22)
    for byte in text {
      if byte == 0x22 { out.append(0x22) }
      out.append(byte)
    }
    out.append(0x22)
  }

  /// A leaf value's text in the JSON mapping, without JSON's quotes.
  static func text(_ column: Column, _ row: Int) -> [UInt8] {
    switch (column.type, column.values) {
    case (.bytes, _), (.fixed, _): return Base64.encode(column.binary(row))
    case (_, .float64(let values)):
      return Array((values[row].isFinite ? JSONWriter.text(of: values[row]) : ValueText.double(values[row])).utf8)
    case (_, .float32(let values)):
      let value = Double(values[row])
      return Array((value.isFinite ? JSONWriter.text(of: value) : ValueText.double(value)).utf8)
    case (.timestamp(let unit, let utc), .int64(let values)):
      let text = ValueText.timestamp(values[row], unit)
      return Array((utc ? text : String(text.dropLast())).utf8)
    default:
      var text: [UInt8] = []
      ValueText.append(column, row, to: &text)
      return text
    }
  }
}

/// Writes records as JSON Lines in `BatchJSON`'s mapping.
public final class JSONLinesFileWriter: BatchFileWriter {
  private let printer: BatchJSON
  private var output: [UInt8] = []

  public init(avro schema: Schema?) { printer = BatchJSON(avro: schema) }

  public func write(_ batch: RecordBatch) throws(FormatError) { printer.append(batch, to: &output) }

  public func finish() throws(FormatError) {}

  public func takeOutput() -> [UInt8] {
    defer { output.removeAll(keepingCapacity: true) }
    return output
  }
}
