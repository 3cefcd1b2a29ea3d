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
  /// The batch's fields, their arrays reused from one batch to the next.
  private var tokens = CSVColumns()

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
    let plans = plan()
    // Held in locals for the loop (properties would be retained and access-checked per
    // record), and put back for the next batch.
    var tokens = CSVColumns()
    swap(&tokens, &self.tokens)
    var reader = self.reader
    defer {
      swap(&tokens, &self.tokens)
      self.reader = reader
    }
    tokens.removeAll(columns: columnCount)
    tokens.source = reader.bytes
    var rejected: [RejectedRecord] = []
    var unclosed: RejectedRecord?
    while tokens.rows < batchSize {
      let fields: Int
      do throws(CSVError) {
        guard let count = try reader.next(into: &tokens) else {
          finished = true
          break
        }
        fields = count
      } catch {
        // An unclosed quote takes the rest of the file with it: it is one rejected record.
        unclosed = RejectedRecord(
          line: error.line, column: error.column, field: nil, reason: error.message,
          text: Array(reader.bytes[reader.recordStart...].prefix(4096)))
        finished = true
        break
      }
      guard fields == columnCount else {
        let row = tokens.rows - 1
        rejected.append(
          RejectedRecord(
            line: tokens.lines[row], column: tokens.record(row, delimiter: options.delimiter)?.columns.last ?? 1,
            field: nil,
            reason: "\(fields) fields where the \(options.header ? "header has" : "schema has") \(columnCount)",
            text: Array(tokens.source[tokens.ranges[row]])))
        tokens.dropLast(fields: fields)
        continue
      }
    }
    let delimiter = options.delimiter
    var failures: [RejectedRecord?] = Array(repeating: nil, count: tokens.rows)
    var columns: [Column] = []
    for (index, plan) in plans.enumerated() {
      let field = schema.fields[index]
      func reject(_ column: Int) -> (Int, String) -> Void {
        { row, reason in
          guard failures[row] == nil else { return }
          failures[row] = RejectedRecord(
            line: tokens.lines[row], column: tokens.record(row, delimiter: delimiter)?.columns[column] ?? 1,
            field: field.name, reason: reason, text: Array(tokens.source[tokens.ranges[row]]))
        }
      }
      switch plan {
      case .skipped: columns.append(CSVColumnBuilder.placeholders(field.type, rows: tokens.rows, null: false))
      case .absent: columns.append(CSVColumnBuilder.placeholders(field.type, rows: tokens.rows, null: true))
      case .text(let column, let nullable):
        columns.append(
          CSVColumnBuilder.strings(
            tokens, column: column, type: field.type, nullable: nullable, nullText: nullText, reject: reject(column)))
      case .parsed(let column, let type, let nullable, let required):
        columns.append(
          CSVColumnBuilder.parsed(
            tokens, column: column, type: type, nullable: nullable, required: required, nullText: nullText,
            reject: reject(column)))
      }
    }
    var rows = tokens.rows
    if failures.contains(where: { $0 != nil }) {
      let kept = (0..<tokens.rows).filter { failures[$0] == nil }.map { Int32($0) }
      columns = columns.map { $0.gathered(kept) }
      rows = kept.count
      // In the order of the file: a record's line comes before the next one's.
      rejected = (rejected + failures.compactMap { $0 }).sorted { $0.line < $1.line }
    }
    if let unclosed { rejected.append(unclosed) }
    guard rows > 0 || !rejected.isEmpty else { return nil }
    return (RecordBatch(schema: schema, columns: columns, rowCount: rows), rejected)
  }
}
