import MeshBytes
public import MeshData
import MeshDiagnostics
public import MeshSchema

/// Records as JSON objects, one per line — what `meshc cat` prints and JSON Lines files
/// hold. The mapping (docs/formats.md): numbers as numbers (NaN and infinities as the
/// strings "NaN", "Infinity", "-Infinity"), decimals as strings of their digits, bytes and
/// fixed as base64, enums by symbol, dates `2026-11-24`, times `19:00:00.000`, timestamps
/// ISO-8601 (`…Z` for UTC ones, no zone for local ones), durations as `1h30m`, records
/// and maps as objects, arrays as arrays. What columns keep opaque (unions of several
/// types, records inside themselves) prints in Avro's JSON encoding (`{"double": 12.0}`)
/// when the Avro schema is given, else as `{"avro_base64": …}`, its binary encoding.
public struct BatchJSON {
  let avro: AvroBinary?
  let json: AvroJSON?

  public init(avro schema: Schema?) {
    avro = schema.map(AvroBinary.init)
    json = schema.map { AvroJSON($0) }
  }

  /// Appends one line per selected record.
  public func append(_ batch: RecordBatch, to out: inout [UInt8]) {
    for row in batch.rows {
      appendRecord(batch.schema, batch.columns, row, to: &out)
      out.append(UInt8(ascii: "\n"))
    }
  }

  func appendRecord(_ schema: RecordSchema, _ columns: [Column], _ row: Int, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "{"))
    for (index, (field, column)) in zip(schema.fields, columns).enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      JSONWriter.appendQuoted(field.name.utf8, to: &out)
      out.append(UInt8(ascii: ":"))
      appendValue(column, row, to: &out)
    }
    out.append(UInt8(ascii: "}"))
  }

  func appendValue(_ column: Column, _ row: Int, to out: inout [UInt8]) {
    if column.isNull(row) { return out += "null".utf8 }
    switch (column.type, column.values) {
    case (.int32, _), (.int64, _), (.boolean, _):
      ValueText.append(column, row, to: &out)
    case (_, .float64(let values)): Self.appendDouble(values[row], to: &out)
    case (_, .float32(let values)): Self.appendDouble(Double(values[row]), to: &out)
    case (.bytes, _), (.fixed, _):
      out.append(UInt8(ascii: "\""))
      out += Base64.encode(column.binary(row))
      out.append(UInt8(ascii: "\""))
    case (.opaque(let type), _):
      if let avro, let json {
        var reader = ByteReader(Array(column.binary(row)))
        if let value = try? avro.decode(type, from: &reader) { return out += json.text(value, as: type).utf8 }
      }
      out += #"{"avro_base64":""#.utf8
      out += Base64.encode(column.binary(row))
      out += #""}"#.utf8
    case (.string, _), (.uuid, _):
      JSONWriter.appendQuoted(column.binary(row), to: &out)
    case (.timestamp(let unit, let utc), .int64(let values)):
      let text = ValueText.timestamp(values[row], unit)
      JSONWriter.appendQuoted((utc ? text : String(text.dropLast())).utf8, to: &out)
    case (.record(let schema), .record(let fields, _)):
      appendRecord(schema, fields, row, to: &out)
    case (.array, .list(let offsets, let element)):
      out.append(UInt8(ascii: "["))
      for (position, item) in (Int(offsets[row])..<Int(offsets[row + 1])).enumerated() {
        if position > 0 { out.append(UInt8(ascii: ",")) }
        appendValue(element, item, to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case (.map, .map(let offsets, let keys, let values)):
      out.append(UInt8(ascii: "{"))
      for (position, item) in (Int(offsets[row])..<Int(offsets[row + 1])).enumerated() {
        if position > 0 { out.append(UInt8(ascii: ",")) }
        JSONWriter.appendQuoted(keys.binary(item), to: &out)
        out.append(UInt8(ascii: ":"))
        appendValue(values, item, to: &out)
      }
      out.append(UInt8(ascii: "}"))
    default:
      // Decimals, enums, dates, times and durations: their text, quoted.
      var text: [UInt8] = []
      ValueText.append(column, row, to: &text)
      JSONWriter.appendQuoted(text, to: &out)
    }
  }

  static func appendDouble(_ value: Double, to out: inout [UInt8]) {
    if value.isFinite {
      out += JSONWriter.text(of: value).utf8
    } else {
      JSONWriter.appendQuoted(ValueText.double(value).utf8, to: &out)
    }
  }
}
