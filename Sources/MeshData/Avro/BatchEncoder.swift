import MeshBytes
public import MeshSchema

/// Writes the records of a `RecordBatch` as Avro binary, one record at a time (the log's
/// payload). The writers are made once from the schema.
public final class BatchEncoder {
  private let root: RecordWriter

  /// Nil when the schema's root is not a record.
  public init?(_ avro: Schema) {
    guard case .named(let name) = avro.root, case .record(let record) = avro.definition(name),
      let schema = RecordSchema(avro: avro)
    else { return nil }
    let compiler = WriterCompiler(avro: avro)
    root = compiler.record(record, as: schema)
  }

  /// Calls `body` with each selected record's bytes, in order.
  public func encode(
    _ batch: RecordBatch, _ body: (Int, [UInt8]) throws -> Void
  ) throws {
    try root.bind(columns: batch.columns)
    var writer = ByteWriter(capacity: 256)
    for row in batch.rows {
      writer.removeAll()
      try root.write(row, into: &writer)
      try body(row, writer.bytes)
    }
  }
}

struct WriterCompiler {
  let avro: Schema

  func record(_ record: RecordType, as schema: RecordSchema) -> RecordWriter {
    RecordWriter(fields: zip(record.fields, schema.fields).map { writer($0.type, as: $1.type) })
  }

  func writer(_ avroType: AvroType, as type: DataType) -> ColumnWriter {
    if case .opaque = type { return BinaryWriter(.raw) }
    switch avroType {
    case .union(let branches):
      let valueBranch = branches.firstIndex { $0 != .plain(.null) } ?? 0
      let inner = writer(branches[valueBranch], as: type)
      guard let nullBranch = branches.firstIndex(of: .plain(.null)) else { return SingleBranchWriter(inner: inner) }
      return NullableWriter(inner: inner, nullBranch: Int64(nullBranch))
    case .array(let items):
      guard case .array(let element, _) = type else { return BinaryWriter(.raw) }
      return RepeatedWriter(keys: nil, element: writer(items, as: element))
    case .map(let values):
      guard case .map(let value, _) = type else { return BinaryWriter(.raw) }
      return RepeatedWriter(keys: BinaryWriter(.lengthPrefixed), element: writer(values, as: value))
    case .named(let name):
      switch (avro.definition(name), type) {
      case (.record(let record), .record(let schema)): return self.record(record, as: schema)
      case (.enumeration, _): return IntegerWriter(narrow: true)
      case (.fixed(let fixed), .decimal): return DecimalWriter(fixedSize: fixed.size)
      case (.fixed(let fixed), _): return BinaryWriter(.fixed(fixed.size))
      default: return BinaryWriter(.raw)
      }
    case .primitive(let primitive, _):
      switch (primitive, type) {
      case (.null, _): return NullWriter()
      case (.boolean, _): return BooleanWriter()
      case (.int, _): return IntegerWriter(narrow: true)
      case (.long, _): return IntegerWriter(narrow: false)
      case (.float, _), (.double, _): return FloatingWriter()
      case (.bytes, .decimal): return DecimalWriter(fixedSize: nil)
      case (.bytes, _), (.string, _): return BinaryWriter(.lengthPrefixed)
      }
    }
  }
}

final class SingleBranchWriter: ColumnWriter {
  private let inner: ColumnWriter
  init(inner: ColumnWriter) { self.inner = inner }
  override func bind(_ column: Column) throws(BatchEncodingError) { try inner.bind(column) }
  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    writer.write(0)
    try inner.write(row, into: &writer)
  }
}
