public import MeshSchema

/// Reads Avro binary records (the log's payload) into a `RecordBatch`. The builders are
/// made once from the schema; decoding a record calls each field's builder in order.
public final class BatchDecoder {
  public let schema: RecordSchema
  private let root: RecordBuilder
  private var rows = 0

  /// Nil when the schema's root is not a record.
  public init?(_ avro: Schema) {
    guard case .named(let name) = avro.root, case .record(let record) = avro.definition(name),
      let schema = RecordSchema(avro: avro)
    else { return nil }
    self.schema = schema
    var compiler = BuilderCompiler(avro: avro)
    root = compiler.record(record, as: schema, path: "")
  }

  /// Appends one record. On an error the batch is left as it was before the record.
  public func append(_ record: some Collection<UInt8>) throws(BatchDecodingError) {
    let result: Result<Void, BatchDecodingError> =
      record.withContiguousStorageIfAvailable { buffer in
        decode(UnsafeRawBufferPointer(buffer))
      } ?? Array(record).withUnsafeBytes { decode($0) }
    try result.get()
  }

  private func decode(_ bytes: UnsafeRawBufferPointer) -> Result<Void, BatchDecodingError> {
    var cursor = AvroCursor(bytes)
    do throws(BatchDecodingError) {
      try root.decode(&cursor, bytes: bytes)
      guard cursor.isAtEnd else {
        throw .invalid("\(bytes.count - cursor.offset) bytes left after the record")
      }
      rows += 1
      return .success(())
    } catch {
      // The builders may hold part of the record: cut every column back to the records
      // that were complete.
      root.truncate(to: rows)
      return .failure(.located(record: rows, field: "", reason: error.description))
    }
  }

  /// Appends `count` records written one after another, as an Avro container's block
  /// holds them. On an error the batch keeps the records before the damaged one.
  public func append(concatenated bytes: UnsafeRawBufferPointer, count: Int) throws(BatchDecodingError) {
    var cursor = AvroCursor(bytes)
    for _ in 0..<max(0, count) {
      do throws(BatchDecodingError) {
        try root.decode(&cursor, bytes: bytes)
        rows += 1
      } catch {
        root.truncate(to: rows)
        throw .located(record: rows, field: "", reason: error.description)
      }
    }
    guard cursor.isAtEnd else { throw .invalid("\(bytes.count - cursor.offset) bytes left after \(count) records") }
  }

  public var count: Int { rows }

  /// The batch of every record appended since the last call.
  public func finish() -> RecordBatch {
    let column = root.finish()
    defer { rows = 0 }
    guard case .record(let fields, let count) = column.values else {
      return RecordBatch(schema: schema, columns: [], rowCount: 0)
    }
    return RecordBatch(schema: schema, columns: fields, rowCount: count)
  }
}

/// Makes the builder tree of a schema.
struct BuilderCompiler {
  let avro: Schema

  mutating func record(_ record: RecordType, as schema: RecordSchema, path: String) -> RecordBuilder {
    let fields = zip(record.fields, schema.fields).map { avroField, field in
      builder(avroField.type, as: field.type, path: path.isEmpty ? field.name : "\(path).\(field.name)")
    }
    return RecordBuilder(type: .record(schema), fields: fields)
  }

  mutating func builder(_ avroType: AvroType, as type: DataType, path: String) -> ColumnBuilder {
    let made = make(avroType, as: type, path: path)
    made.path = path
    return made
  }

  private mutating func make(_ avroType: AvroType, as type: DataType, path: String) -> ColumnBuilder {
    if case .opaque = type { return BinaryBuilder(type: type, source: .avroValue(AvroBinary(avro), avroType)) }
    switch avroType {
    case .union(let branches):
      let nullBranch = branches.firstIndex(of: .plain(.null))
      let valueBranch = branches.firstIndex { $0 != .plain(.null) } ?? 0
      let inner = builder(branches[valueBranch], as: type, path: path)
      guard let nullBranch else { return SingleBranchBuilder(inner: inner) }
      return NullableBuilder(inner: inner, nullBranch: Int64(nullBranch))
    case .array(let items):
      guard case .array(let element, _) = type else { break }
      return RepeatedBuilder(type: type, keys: nil, element: builder(items, as: element, path: path + "[]"))
    case .map(let values):
      guard case .map(let value, _) = type else { break }
      return RepeatedBuilder(
        type: type, keys: BinaryBuilder(type: .string, source: .lengthPrefixed(validateUTF8: true)),
        element: builder(values, as: value, path: path + "{}"))
    case .named(let name):
      switch (avro.definition(name), type) {
      case (.record(let record), .record(let schema)): return self.record(record, as: schema, path: path)
      case (.enumeration(let enumeration), _): return EnumBuilder(type: type, symbolCount: enumeration.symbols.count)
      case (.fixed(let fixed), .decimal): return DecimalBuilder(type: type, fixedSize: fixed.size)
      case (.fixed(let fixed), _): return BinaryBuilder(type: type, source: .fixed(fixed.size))
      default: break
      }
    case .primitive(let primitive, _):
      switch (primitive, type) {
      case (.null, _): return NullBuilder(type: type)
      case (.boolean, _): return ScalarBuilder<BooleanScalar>(type: type)
      case (.int, .time): return ScalarBuilder<IntAsLongScalar>(type: type)
      case (.int, _): return ScalarBuilder<IntScalar>(type: type)
      case (.long, _): return ScalarBuilder<LongScalar>(type: type)
      case (.float, _): return ScalarBuilder<FloatScalar>(type: type)
      case (.double, _): return ScalarBuilder<DoubleScalar>(type: type)
      case (.bytes, .decimal): return DecimalBuilder(type: type, fixedSize: nil)
      case (.bytes, _): return BinaryBuilder(type: type, source: .lengthPrefixed(validateUTF8: false))
      case (.string, _): return BinaryBuilder(type: type, source: .lengthPrefixed(validateUTF8: true))
      }
    }
    return BinaryBuilder(type: type, source: .avroValue(AvroBinary(avro), avroType))
  }
}

/// A union of one branch: its index (always 0), then the value.
final class SingleBranchBuilder: ColumnBuilder {
  private let inner: ColumnBuilder

  init(inner: ColumnBuilder) {
    self.inner = inner
    super.init(type: inner.type)
  }

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    let branch = try cursor.long()
    guard branch == 0 else { throw .invalid("union branch index \(branch) out of range 0..<1") }
    try inner.decode(&cursor, bytes: bytes)
  }

  override func appendPlaceholder() { inner.appendPlaceholder() }
  override func reserveCapacity(_ rows: Int) { inner.reserveCapacity(rows) }
  override func truncate(to count: Int) { inner.truncate(to: count) }
  override func finish() -> Column { inner.finish() }
}

/// A field of type null: nothing in the bytes, every row null.
final class NullBuilder: ColumnBuilder {
  private var validity = Bitmap()

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    validity.append(false)
  }

  override func appendPlaceholder() { validity.append(false) }

  override func truncate(to count: Int) { validity.truncate(to: count) }

  override func finish() -> Column {
    defer { validity = Bitmap() }
    return Column(type: type, values: .boolean([Bool](repeating: false, count: validity.count)), validity: validity)
  }
}
