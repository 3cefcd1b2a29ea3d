import MeshBytes
public import MeshData
public import MeshSchema

/// Writes a Parquet file row group by row group. Output accumulates until the caller
/// takes it (`takeOutput`), so memory stays bounded by one row group whatever the
/// file's size. The Avro schema travels in the key-value metadata (`avro.schema`), so
/// that what meshc reads back has the types it wrote (enums, records' names, unions).
public final class ParquetWriter {
  public static let magic: [UInt8] = Array("PAR1".utf8)
  public static let avroSchemaKey = "avro.schema"

  public let records: RecordSchema
  private let options: ParquetWriteOptions
  private let plan: [WriteNode]
  private let elements: [SchemaElement]
  private let chunks: [LeafChunkWriter]
  private let keyValues: [(key: String, value: String?)]
  private var rowGroups: [RowGroup] = []
  private var groupRows = 0
  private var output = ByteWriter(capacity: 64 * 1024)
  private var written: Int64 = 0
  private var finished = false
  public private(set) var recordCount = 0

  public convenience init(schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) throws(FormatError) {
    guard let records = RecordSchema(avro: schema) else {
      throw FormatError("a Parquet file's schema must be a record")
    }
    try self.init(records: records, options: options, keyValues: [(Self.avroSchemaKey, schema.jsonText)])
  }

  public init(
    records: RecordSchema, options: ParquetWriteOptions = ParquetWriteOptions(),
    keyValues: [(key: String, value: String?)] = []
  ) throws(FormatError) {
    guard CompressionCodec(options.codec) != nil else {
      throw FormatError("Parquet does not take \(options.codec.rawValue); use none, snappy, gzip, zstd or lz4_raw")
    }
    let layout = ParquetWriteSchema(records)
    let schema = try ParquetSchema(layout.elements)
    self.records = records
    self.options = options
    plan = layout.fields
    elements = layout.elements
    self.keyValues = keyValues
    chunks = zip(layout.leafTypes, schema.leaves).map { leafType, leaf in
      LeafChunkWriter(
        element: leaf.element, type: leafType.type, path: leaf.path, maxDefinition: leaf.maxDefinition,
        maxRepetition: leaf.maxRepetition, options: options)
    }
    output.write(Self.magic)
    written = Int64(Self.magic.count)
  }

  /// Appends the batch's selected records.
  public func write(_ batch: RecordBatch) throws(FormatError) {
    guard !finished else { throw FormatError("the Parquet file is already finished") }
    guard batch.count > 0 else { return }
    let leaves = try LevelShredder.shred(batch, plan: plan, leafCount: chunks.count)
    for (chunk, leaf) in zip(chunks, leaves) { try chunk.append(leaf) }
    groupRows += batch.count
    recordCount += batch.count
    if groupRows >= options.rowGroupRows || chunks.reduce(0, { $0 + $1.bufferedBytes }) >= options.rowGroupBytes {
      try closeRowGroup()
    }
  }

  private func closeRowGroup() throws(FormatError) {
    guard groupRows > 0 else { return }
    let start = written
    var columns: [ColumnChunk] = []
    var uncompressed: Int64 = 0
    for chunk in chunks {
      let (bytes, meta) = try chunk.finish(at: written)
      output.write(bytes)
      written += Int64(bytes.count)
      uncompressed += meta.totalUncompressedSize
      columns.append(ColumnChunk(metaData: meta))
    }
    var group = RowGroup(columns: columns, totalByteSize: uncompressed, rowCount: Int64(groupRows))
    group.fileOffset = start
    group.totalCompressedSize = written - start
    group.ordinal = Int16(clamping: rowGroups.count)
    rowGroups.append(group)
    groupRows = 0
  }

  /// Closes the last row group and writes the footer.
  public func finish() throws(FormatError) {
    guard !finished else { return }
    try closeRowGroup()
    finished = true
    let footer = FileMetaData(
      version: 2, schema: elements, rowCount: Int64(recordCount), rowGroups: rowGroups, keyValues: keyValues,
      createdBy: "meshc")
    let bytes = CompactWriter.bytes(of: footer.thrift)
    output.write(bytes)
    output.writeLittleEndian(UInt32(bytes.count))
    output.write(Self.magic)
    written += Int64(bytes.count + 8)
  }

  /// The bytes written since the last call.
  public func takeOutput() -> [UInt8] {
    defer { output.removeAll(keepingCapacity: false) }
    return output.bytes
  }
}
