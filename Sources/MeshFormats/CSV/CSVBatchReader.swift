public import MeshData

/// Reads CSV records into batches of a schema's columns: header names map to fields (a
/// nullable field may be absent; extra columns are ignored), every value is parsed as its
/// field's type (`TextValueParser`), an unquoted field spelled as `nullText` is a null.
/// A record that does not fit is rejected with its place and reason, and reading goes on.
public final class CSVBatchReader {
  public struct Options: Sendable {
    public var delimiter: UInt8
    public var nullText: String
    /// Without a header, columns are the schema's fields in order.
    public var header: Bool

    public init(delimiter: UInt8 = UInt8(ascii: ","), nullText: String = "", header: Bool = true) {
      self.delimiter = delimiter
      self.nullText = nullText
      self.header = header
    }
  }

  public let schema: RecordSchema
  /// Fields the reader's user never reads: left unparsed, holding a default value.
  public var skippedFields: Set<Int> = []
  private var reader: CSVReader
  private let options: Options
  private let batchSize: Int
  /// For each field, the CSV column that holds it (nil: absent, always null).
  private var columnOfField: [Int?] = []
  private var columnCount: Int
  private let nullText: [UInt8]
  private var finished = false

  public init(
    bytes: [UInt8], schema: RecordSchema, options: Options = Options(), batchSize: Int = RecordBatch.preferredRowCount
  ) throws(FormatError) {
    self.schema = schema
    self.options = options
    self.batchSize = max(1, batchSize)
    nullText = Array(options.nullText.utf8)
    reader = CSVReader(bytes: bytes, delimiter: options.delimiter)
    for field in schema.fields {
      switch field.type {
      case .record, .array, .map, .opaque, .duration:
        throw FormatError("field \(field.name) is a \(field.type), which CSV cannot hold")
      default: break
      }
    }
    columnCount = schema.fields.count
    guard options.header else {
      columnOfField = schema.fields.indices.map { $0 }
      return
    }
    let header: CSVReader.Record?
    do throws(CSVError) {
      header = try reader.next()
    } catch {
      throw FormatError("its header: \(error.description)")
    }
    guard let header else {
      finished = true
      columnOfField = schema.fields.map { _ in nil }
      return
    }
    let names = header.fields.map { String(decoding: $0, as: UTF8.self) }
    columnCount = names.count
    for field in schema.fields {
      let column = names.firstIndex(of: field.name)
      if column == nil, !field.nullable, field.type != .null {
        throw FormatError(
          "its header has no column \(field.name), which the schema requires (it has \(names.joined(separator: ", ")))")
      }
      columnOfField.append(column)
    }
  }

  /// Goes on with the next piece of the same file (cut by `CSVReader.lastRecordEnd`): the
  /// header's mapping stays, lines go on counting.
  public func continueWith(_ bytes: [UInt8]) {
    reader = CSVReader(bytes: bytes, delimiter: options.delimiter, firstLine: reader.line)
    finished = false
  }

  /// The next batch and the records rejected on the way; nil at the end.
  public func nextBatch() -> (batch: RecordBatch, rejected: [RejectedRecord])? {
    guard !finished else { return nil }
    let columns = schema.fields.map { ColumnAccumulator.make($0.type) }
    var rejected: [RejectedRecord] = []
    var rows = 0
    while rows < batchSize {
      let record: CSVReader.Record
      do throws(CSVError) {
        guard let next = try reader.next() else {
          finished = true
          break
        }
        record = next
      } catch {
        // An unclosed quote takes the rest of the file with it: it is one rejected record.
        rejected.append(
          RejectedRecord(
            line: error.line, column: error.column, field: nil, reason: error.message,
            text: Array(reader.bytes[reader.recordStart...].prefix(4096))))
        finished = true
        break
      }
      if let problem = add(record, to: columns) {
        for column in columns { column.truncate(to: rows) }
        rejected.append(problem)
      } else {
        rows += 1
      }
    }
    guard rows > 0 || !rejected.isEmpty else { return nil }
    return (RecordBatch(schema: schema, columns: columns.map { $0.finish() }, rowCount: rows), rejected)
  }

  private func add(_ record: CSVReader.Record, to columns: [ColumnAccumulator]) -> RejectedRecord? {
    let text = Array(reader.bytes[record.range])
    guard record.count == columnCount else {
      return RejectedRecord(
        line: record.line, column: record.columns.last ?? 1, field: nil,
        reason:
          "\(record.count) fields where the \(options.header ? "header has" : "schema has") \(columnCount)",
        text: text)
    }
    for (index, field) in schema.fields.enumerated() {
      let accumulator = columns[index]
      if skippedFields.contains(index), let leaf = accumulator as? LeafAccumulator {
        leaf.appendDefault()
        continue
      }
      guard let column = columnOfField[index], field.type != .null else {
        accumulator.appendNull()
        continue
      }
      let value = record.field(column)
      if !record.quoted[column], value.elementsEqual(nullText), field.nullable {
        accumulator.appendNull()
        continue
      }
      if !field.nullable, !record.quoted[column], value.isEmpty, !field.type.isText, field.type != .bytes {
        return RejectedRecord(
          line: record.line, column: record.columns[column], field: field.name, reason: "a value is required",
          text: text)
      }
      if field.type == .string, let leaf = accumulator as? LeafAccumulator {
        // The common case without the detour through a parsed value.
        guard value.allSatisfy({ $0 < 0x80 }) || String(validating: value, as: UTF8.self) != nil,
          leaf.append(bytes: value)
        else {
          return RejectedRecord(
            line: record.line, column: record.columns[column], field: field.name, reason: "not UTF-8 text", text: text)
        }
        continue
      }
      switch TextValueParser.parse(value, as: field.type) {
      case .success(let parsed):
        guard let leaf = accumulator as? LeafAccumulator, leaf.append(parsed) else {
          return RejectedRecord(
            line: record.line, column: record.columns[column], field: field.name,
            reason: "a \(field.type) column cannot hold the value", text: text)
        }
      case .failure(let error):
        return RejectedRecord(
          line: record.line, column: record.columns[column], field: field.name, reason: error.message, text: text)
      }
    }
    return nil
  }
}
