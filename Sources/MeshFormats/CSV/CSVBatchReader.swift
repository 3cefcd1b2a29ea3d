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
  /// The record being read, its arrays reused from one record to the next.
  private var record: CSVReader.Record

  /// What to do with each field of a record, worked out once rather than per value.
  private enum FieldPlan {
    /// Not read by anyone: a default value.
    case skipped
    /// No column holds it: null.
    case absent
    /// Strings straight to their column, UTF-8 checked.
    case text(column: Int, nullable: Bool)
    /// Parsed as their type.
    case parsed(column: Int, type: DataType, nullable: Bool, required: Bool)
  }
  private var plans: [FieldPlan] = []
  private var plannedSkips: Set<Int>?

  public init(
    bytes: [UInt8], schema: RecordSchema, options: Options = Options(), batchSize: Int = RecordBatch.preferredRowCount
  ) throws(FormatError) {
    self.schema = schema
    self.options = options
    self.batchSize = max(1, batchSize)
    nullText = Array(options.nullText.utf8)
    reader = CSVReader(bytes: bytes, delimiter: options.delimiter)
    record = CSVReader.Record(source: [], quoted: [], line: 1, columns: [], range: 0..<0)
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

  /// The plan of each field, made again when `skippedFields` changed.
  private func plan() -> [FieldPlan] {
    if plannedSkips == skippedFields { return plans }
    plannedSkips = skippedFields
    plans = schema.fields.enumerated().map { index, field in
      if skippedFields.contains(index) { return .skipped }
      guard let column = columnOfField[index], field.type != .null else { return .absent }
      if field.type == .string { return .text(column: column, nullable: field.nullable) }
      let required = !field.nullable && !field.type.isText && field.type != .bytes
      return .parsed(column: column, type: field.type, nullable: field.nullable, required: required)
    }
    return plans
  }

  /// The next batch and the records rejected on the way; nil at the end.
  public func nextBatch() -> (batch: RecordBatch, rejected: [RejectedRecord])? {
    guard !finished else { return nil }
    let columns = schema.fields.map { ColumnAccumulator.make($0.type) }
    let leaves = columns.map { $0 as? LeafAccumulator }
    let plans = plan()
    var rejected: [RejectedRecord] = []
    var rows = 0
    // Held in a local for the loop (a property would be retained and access-checked per
    // record), and put back for the next batch.
    var record = CSVReader.Record(source: [], quoted: [], line: 1, columns: [], range: 0..<0)
    swap(&record, &self.record)
    var reader = self.reader
    defer {
      swap(&record, &self.record)
      self.reader = reader
    }
    while rows < batchSize {
      do throws(CSVError) {
        guard try reader.next(into: &record) else {
          finished = true
          break
        }
      } catch {
        // An unclosed quote takes the rest of the file with it: it is one rejected record.
        rejected.append(
          RejectedRecord(
            line: error.line, column: error.column, field: nil, reason: error.message,
            text: Array(reader.bytes[reader.recordStart...].prefix(4096))))
        finished = true
        break
      }
      if let problem = add(record, to: columns, leaves, plans) {
        for column in columns { column.truncate(to: rows) }
        rejected.append(problem)
      } else {
        rows += 1
      }
    }
    guard rows > 0 || !rejected.isEmpty else { return nil }
    return (RecordBatch(schema: schema, columns: columns.map { $0.finish() }, rowCount: rows), rejected)
  }

  private func add(
    _ record: CSVReader.Record, to columns: [ColumnAccumulator], _ leaves: [LeafAccumulator?], _ plans: [FieldPlan]
  ) -> RejectedRecord? {
    // The record's text is copied only for a rejection, which quotes it.
    func rejection(_ reason: String, column: Int?, field: Int?) -> RejectedRecord {
      RejectedRecord(
        line: record.line, column: column.map { record.columns[$0] } ?? record.columns.last ?? 1,
        field: field.map { schema.fields[$0].name }, reason: reason, text: Array(record.source[record.range]))
    }
    guard record.count == columnCount else {
      return rejection(
        "\(record.count) fields where the \(options.header ? "header has" : "schema has") \(columnCount)", column: nil,
        field: nil)
    }
    for (index, plan) in plans.enumerated() {
      switch plan {
      case .skipped:
        if let leaf = leaves[index] { leaf.appendDefault() } else { columns[index].appendNull() }
      case .absent: columns[index].appendNull()
      case .text(let column, let nullable):
        let value = record.field(column)
        if nullable, !record.quoted[column], value.elementsEqual(nullText) {
          columns[index].appendNull()
          continue
        }
        guard let leaf = leaves[index],
          value.allSatisfy({ $0 < 0x80 }) || String(validating: value, as: UTF8.self) != nil, leaf.append(bytes: value)
        else { return rejection("not UTF-8 text", column: column, field: index) }
      case .parsed(let column, let type, let nullable, let required):
        let value = record.field(column)
        let quoted = record.quoted[column]
        if nullable, !quoted, value.elementsEqual(nullText) {
          columns[index].appendNull()
          continue
        }
        if required, !quoted, value.isEmpty { return rejection("a value is required", column: column, field: index) }
        switch TextValueParser.parse(value, as: type) {
        case .success(let parsed):
          guard let leaf = leaves[index], leaf.append(parsed) else {
            return rejection("a \(type) column cannot hold the value", column: column, field: index)
          }
        case .failure(let error): return rejection(error.message, column: column, field: index)
        }
      }
    }
    return nil
  }
}
