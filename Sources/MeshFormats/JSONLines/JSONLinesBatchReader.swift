import MeshBytes
public import MeshData
import MeshDiagnostics
public import MeshSchema

/// Reads JSON Lines into batches of a schema's columns: each line one object, members
/// matched to fields by name (members the schema does not have are skipped, absent
/// nullable fields are null), values in the JSON mapping `meshc cat` prints — so what
/// `BatchJSON` writes reads back the same — and also timestamps as numbers in their unit
/// and decimals as numbers. A line that does not fit is rejected with its place and
/// reason, and reading goes on.
public final class JSONLinesBatchReader {
  public let schema: RecordSchema
  private let bytes: [UInt8]
  /// For values columns keep opaque (unions of several types): read in Avro's JSON encoding.
  private let avro: Schema?
  private let batchSize: Int
  private var offset = 0
  private var line = 0
  private var lineStart = 0

  /// `firstLine` numbers the first line of `bytes`: a later piece of a file read in
  /// chunks goes on counting.
  public init(
    bytes: [UInt8], schema: RecordSchema, avro: Schema? = nil, batchSize: Int = RecordBatch.preferredRowCount,
    firstLine: Int = 1
  ) {
    self.bytes = bytes
    self.schema = schema
    self.avro = avro
    self.batchSize = max(1, batchSize)
    offset = firstLine == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    line = firstLine - 1
  }

  /// The line after the last one read.
  public var nextLine: Int { line + 1 }

  struct Problem: Error {
    var offset: Int
    var field: String?
    var message: String
  }

  /// The next batch and the lines rejected on the way; nil at the end.
  public func nextBatch() -> (batch: RecordBatch, rejected: [RejectedRecord])? {
    let root = RecordAccumulator(
      type: .record(schema), fields: schema.fields.map { ColumnAccumulator.make($0.type) })
    var rejected: [RejectedRecord] = []
    var rows = 0
    while rows < batchSize, offset < bytes.count {
      line += 1
      lineStart = offset
      let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      let range = offset..<end
      offset = end + 1
      if bytes[range].allSatisfy({ [0x20, 0x09, 0x0D].contains($0) }) { continue }
      do throws(Problem) {
        var tokenizer = JSONTokenizer(bytes, in: range)
        let first = try next(&tokenizer)
        guard first == .objectStart else { throw Problem(offset: tokenizer.tokenStart, message: "expected an object") }
        try readRecord(schema, root, &tokenizer)
        guard try next(&tokenizer) == .end else {
          throw Problem(offset: tokenizer.tokenStart, message: "text after the line's object")
        }
        root.present()
        rows += 1
      } catch {
        root.truncate(to: rows)
        rejected.append(
          RejectedRecord(
            line: line, column: max(0, error.offset - lineStart) + 1, field: error.field, reason: error.message,
            text: Array(bytes[range])))
      }
    }
    guard rows > 0 || !rejected.isEmpty else { return nil }
    let columns = root.fields.map { $0.finish() }
    return (RecordBatch(schema: schema, columns: columns, rowCount: rows), rejected)
  }

  private func next(_ tokenizer: inout JSONTokenizer) throws(Problem) -> JSONToken {
    do throws(JSONSyntaxError) {
      return try tokenizer.next()
    } catch {
      throw Problem(offset: error.offset, message: "not JSON: \(error.message)")
    }
  }

  /// The members of an object whose `{` was read, into the record's field columns.
  private func readRecord(
    _ record: RecordSchema, _ columns: RecordAccumulator, _ tokenizer: inout JSONTokenizer
  )
    throws(Problem)
  {
    var seen = [Bool](repeating: false, count: record.fields.count)
    while case .name(let name) = try next(&tokenizer) {
      let key = JSONTokenizer.decode(name, in: bytes)
      guard let index = record.index(of: key) else {
        do throws(JSONSyntaxError) {
          _ = try tokenizer.skipValue()
        } catch {
          throw Problem(offset: error.offset, message: "not JSON: \(error.message)")
        }
        continue
      }
      guard !seen[index] else {
        throw Problem(offset: tokenizer.tokenStart, field: key, message: "the field appears twice")
      }
      seen[index] = true
      let field = record.fields[index]
      if case .opaque(let type) = field.type {
        try readOpaque(type, columns.fields[index], &tokenizer, field: key)
        continue
      }
      try readValue(
        try next(&tokenizer), field.type, nullable: field.nullable, columns.fields[index], &tokenizer, field: key)
    }
    for (index, field) in record.fields.enumerated() where !seen[index] {
      guard field.nullable || field.type == .null else {
        throw Problem(offset: tokenizer.tokenStart, field: field.name, message: "the field is missing")
      }
      columns.fields[index].appendNull()
    }
  }

  private func readValue(
    _ token: JSONToken, _ type: DataType, nullable: Bool, _ column: ColumnAccumulator, _ tokenizer: inout JSONTokenizer,
    field: String
  ) throws(Problem) {
    let at = tokenizer.tokenStart
    if token == .null {
      guard nullable || type == .null else {
        throw Problem(offset: at, field: field, message: "null for a value that is required")
      }
      column.appendNull()
      return
    }
    switch (type, column) {
    case (.record(let record), let nested as RecordAccumulator):
      guard token == .objectStart else { throw Problem(offset: at, field: field, message: "expected an object") }
      try readRecord(record, nested, &tokenizer)
      nested.present()
    case (.array(let element, let elementNullable), let list as ListAccumulator):
      guard token == .arrayStart else { throw Problem(offset: at, field: field, message: "expected an array") }
      while true {
        let item = try next(&tokenizer)
        if item == .arrayEnd { break }
        try readValue(item, element, nullable: elementNullable, list.element, &tokenizer, field: field)
      }
      list.endList()
    case (.map(let value, let valueNullable), let map as ListAccumulator):
      guard token == .objectStart, let keys = map.keys else {
        throw Problem(offset: at, field: field, message: "expected an object")
      }
      while case .name(let name) = try next(&tokenizer) {
        keys.append(.bytes(Array(JSONTokenizer.decode(name, in: bytes).utf8)))
        try readValue(try next(&tokenizer), value, nullable: valueNullable, map.element, &tokenizer, field: field)
      }
      map.endList()
    case (.opaque, _):
      throw Problem(offset: at, field: field, message: "a union inside an array or map is not read from JSON Lines")
    case (_, let leaf as LeafAccumulator):
      let parsed: Result<LeafValue, TextValueError>
      switch token {
      case .string(let text):
        let contents = text.hasEscapes ? Array(JSONTokenizer.decode(text, in: bytes).utf8)[...] : bytes[text.contents]
        parsed = type == .string ? .success(.bytes(Array(contents))) : TextValueParser.parse(contents, as: type)
      case .number(let range) where type != .string && !type.isText:
        parsed = TextValueParser.parse(bytes[range], as: type)
      case .bool(let flag) where type == .boolean:
        parsed = .success(.boolean(flag))
      default:
        throw Problem(offset: at, field: field, message: "expected \(type)")
      }
      switch parsed {
      case .success(let value):
        guard leaf.append(value) else { throw Problem(offset: at, field: field, message: "expected \(type)") }
      case .failure(let error):
        throw Problem(offset: at, field: field, message: error.message)
      }
    default:
      throw Problem(offset: at, field: field, message: "expected \(type)")
    }
  }

  /// A value of a union the columns keep opaque: Avro's JSON encoding, kept as Avro binary.
  private func readOpaque(
    _ type: AvroType, _ column: ColumnAccumulator, _ tokenizer: inout JSONTokenizer, field: String
  )
    throws(Problem)
  {
    let range: Range<Int>
    do throws(JSONSyntaxError) {
      range = try tokenizer.skipValue()
    } catch {
      throw Problem(offset: error.offset, message: "not JSON: \(error.message)")
    }
    guard let avro, let leaf = column as? LeafAccumulator else {
      throw Problem(offset: range.lowerBound, field: field, message: "a union is read only with its Avro schema")
    }
    let (json, _) = JSONReader.read(SourceFile(path: field, bytes: Array(bytes[range])))
    do throws(AvroValueError) {
      guard let json else { throw AvroValueError("not JSON", at: "") }
      let value = try AvroJSON(avro).value(json, as: type, path: "")
      var encoded = ByteWriter()
      try AvroBinary(avro).encode(value, as: type, into: &encoded)
      leaf.append(.bytes(encoded.bytes))
    } catch {
      throw Problem(offset: range.lowerBound, field: field, message: error.description)
    }
  }
}
