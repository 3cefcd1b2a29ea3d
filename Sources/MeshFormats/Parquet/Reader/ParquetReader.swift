public import MeshData
public import MeshSchema

/// Reads a Parquet file row group by row group into record batches: only the columns
/// asked for, each column chunk read from its source when its row group is reached.
/// When the file carries an Avro schema (meshc's and parquet-avro's writers put one in
/// its metadata) and the columns match it, the records take its types.
public final class ParquetReader {
  public let metadata: FileMetaData
  public let parquetSchema: ParquetSchema
  /// The records' schema, projected to the columns asked for.
  public let records: RecordSchema
  /// The Avro schema of the records: the file's own when it matches, else one derived
  /// from the Parquet schema.
  public let avroSchema: Schema
  public private(set) var rowGroupIndex = 0
  /// Row groups skipped because their statistics rule the filter out.
  public private(set) var skippedRowGroups = 0
  public var filter: ParquetFilter?

  private let source: any ParquetSource
  private let reads: [ReadNode]

  public static let avroSchemaKeys = [ParquetWriter.avroSchemaKey, "parquet.avro.schema"]

  public init(source: any ParquetSource, columns: [String]? = nil) throws(FormatError) {
    self.source = source
    metadata = try Self.footer(source)
    parquetSchema = try ParquetSchema(metadata.schema)
    var (records, reads) = try ParquetTypeMapping(schema: parquetSchema).records()
    var avro: Schema?
    for key in Self.avroSchemaKeys {
      guard let text = metadata.value(forKey: key), let schema = AvroOverlay.schema(text) else { continue }
      if let overlaid = AvroOverlay(schema: schema).apply(records, reads) {
        (records, reads) = overlaid
        avro = schema
      }
      break
    }
    if let columns {
      var kept: [DataField] = []
      var keptReads: [ReadNode] = []
      for name in columns {
        guard let index = records.index(of: name) else {
          let known = records.fields.map(\.name).joined(separator: ", ")
          throw FormatError("the file has no column \(name) (it has \(known))")
        }
        kept.append(records.fields[index])
        keptReads.append(reads[index])
      }
      if kept.map(\.name) != records.fields.map(\.name) { avro = nil }
      records.fields = kept
      reads = keptReads
    }
    self.records = records
    self.reads = reads
    guard let schema = avro ?? AvroOverlay.schema(records.avroJSONText) else {
      throw FormatError("the file's columns have no Avro schema")
    }
    avroSchema = schema
  }

  static func footer(_ source: any ParquetSource) throws(FormatError) -> FileMetaData {
    guard source.size >= 12 else { throw FormatError("it is \(source.size) bytes, too short for a Parquet file") }
    let head = try source.read(offset: 0, count: 4)
    let tail = try source.read(offset: source.size - 8, count: 8)
    if Array(tail[4...]) == Array("PARE".utf8) {
      throw FormatError("its footer is encrypted, which meshc does not read")
    }
    guard head == ParquetWriter.magic, Array(tail[4...]) == ParquetWriter.magic else {
      throw FormatError("it does not begin and end with PAR1: not a Parquet file")
    }
    let length = Int64(tail[0]) | Int64(tail[1]) << 8 | Int64(tail[2]) << 16 | Int64(tail[3]) << 24
    guard length > 0, length <= source.size - 12 else {
      throw FormatError("its footer claims \(length) bytes of a \(source.size)-byte file")
    }
    let bytes = try source.read(offset: source.size - 8 - length, count: Int(length))
    do throws(FormatError) {
      let (thrift, _) = try CompactReader.readStruct(bytes)
      return try FileMetaData(thrift: thrift)
    } catch {
      throw FormatError("its footer: \(error.message)")
    }
  }

  /// The next row group's records (those the filter does not rule out); nil at the end.
  public func nextBatch() throws(FormatError) -> RecordBatch? {
    while rowGroupIndex < metadata.rowGroups.count {
      let group = metadata.rowGroups[rowGroupIndex]
      defer { rowGroupIndex += 1 }
      if let filter, try filter.excludes(group, schema: parquetSchema, records: records) {
        skippedRowGroups += 1
        continue
      }
      return try read(group)
    }
    return nil
  }

  private func read(_ group: RowGroup) throws(FormatError) -> RecordBatch {
    let where_ = "row group \(rowGroupIndex)"
    guard group.columns.count == parquetSchema.leaves.count else {
      throw FormatError("\(where_) has \(group.columns.count) column chunks for \(parquetSchema.leaves.count) columns")
    }
    guard let rows = Int(exactly: group.rowCount), rows <= Int(Int32.max) else {
      throw FormatError("\(where_) claims \(group.rowCount) rows")
    }
    var assembler = RecordAssembler(schema: parquetSchema, rowCount: rows)
    for read in reads {
      try add(read, group, into: &assembler)
    }
    let columns = reads.map { assembler.column($0, count: rows) }
    return RecordBatch(schema: records, columns: columns, rowCount: rows)
  }

  private func add(_ node: ReadNode, _ group: RowGroup, into assembler: inout RecordAssembler) throws(FormatError) {
    switch node {
    case .leaf(_, let index, let type, let conversion):
      let leaf = parquetSchema.leaves[index]
      let name = leaf.path.joined(separator: ".")
      let meta = group.columns[index].metaData
      do throws(FormatError) {
        if let path = group.columns[index].filePath {
          throw FormatError("its data is in another file (\(path)), which meshc does not read")
        }
        guard leaf.maxRepetition > 0 || meta.valueCount == group.rowCount else {
          throw FormatError("its chunk holds \(meta.valueCount) values for the row group's \(group.rowCount) rows")
        }
        let start = meta.firstPageOffset
        guard meta.totalCompressedSize >= 0, meta.totalCompressedSize <= Int64(Int32.max), start >= 0,
          start <= source.size - meta.totalCompressedSize
        else {
          throw FormatError("its chunk at byte \(start) of \(meta.totalCompressedSize) bytes is outside the file")
        }
        // parquet-mr before 1.2.9 left its dictionary page's header out of the chunk's
        // size (PARQUET-816): read up to 100 bytes more, as other readers do.
        let padding =
          metadata.undercountsDictionaryHeaders ? min(100, source.size - start - meta.totalCompressedSize) : 0
        let bytes = try source.read(offset: start, count: Int(meta.totalCompressedSize + padding))
        let data = try ColumnChunkDecoder(leaf: leaf, meta: meta).decode(bytes)
        try assembler.add(leaf: index, data, type: type, conversion: conversion)
      } catch {
        throw FormatError("row group \(rowGroupIndex), column \(name): \(error.message)")
      }
    case .record(_, _, let fields):
      for field in fields { try add(field, group, into: &assembler) }
    case .list(_, _, _, let element):
      try add(element, group, into: &assembler)
    case .map(_, _, _, let key, let value):
      try add(key, group, into: &assembler)
      try add(value, group, into: &assembler)
    }
  }
}
