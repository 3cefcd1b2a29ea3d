/// The footer of a Parquet file: its schema, its row groups and where their column
/// chunks are, and the writer's key-value metadata.
public struct FileMetaData: Sendable {
  public var version: Int32
  public var schema: [SchemaElement]
  public var rowCount: Int64
  public var rowGroups: [RowGroup]
  public var keyValues: [(key: String, value: String?)]
  public var createdBy: String?

  public init(
    version: Int32 = 2, schema: [SchemaElement], rowCount: Int64, rowGroups: [RowGroup],
    keyValues: [(key: String, value: String?)] = [], createdBy: String? = nil
  ) {
    self.version = version
    self.schema = schema
    self.rowCount = rowCount
    self.rowGroups = rowGroups
    self.keyValues = keyValues
    self.createdBy = createdBy
  }

  public init(thrift: ThriftStruct) throws(FormatError) {
    version = Int32(clamping: try thrift.optionalInteger(1, "the file's version") ?? 1)
    guard let elements = try thrift.structs(2, "the file's schema"), !elements.isEmpty else {
      throw FormatError("the footer has no schema")
    }
    schema = []
    schema.reserveCapacity(elements.count)
    for element in elements { schema.append(try SchemaElement(thrift: element)) }
    rowCount = try thrift.integer(3, "the file's num_rows")
    guard rowCount >= 0 else { throw FormatError("the file's num_rows \(rowCount) is negative") }
    rowGroups = []
    for (index, group) in (try thrift.structs(4, "the file's row groups") ?? []).enumerated() {
      do {
        rowGroups.append(try RowGroup(thrift: group))
      } catch {
        throw FormatError("row group \(index): \(error.message)")
      }
    }
    keyValues = try KeyValues.read(thrift, 5, "the file's key_value_metadata")
    createdBy = try thrift.optionalBinary(6, "created_by").map { String(decoding: $0, as: UTF8.self) }
  }

  public func value(forKey key: String) -> String? { keyValues.first { $0.key == key }?.value }

  /// Written by parquet-mr older than 1.2.9, whose chunk sizes leave out the dictionary
  /// page's header; a parquet-mr without a version is taken to be that old.
  var undercountsDictionaryHeaders: Bool {
    guard let createdBy, createdBy.hasPrefix("parquet-mr") else { return false }
    let words = createdBy.split(separator: " ")
    guard words.count >= 3, words[1] == "version" else { return true }
    let parts = words[2].split(whereSeparator: { !$0.isNumber }).prefix(3).compactMap { Int($0) }
    return parts.lexicographicallyPrecedes([1, 2, 9])
  }

  /// The footer's Thrift form; every leaf's statistics follow its type's order.
  var thrift: ThriftStruct {
    var result = ThriftStruct()
    result.set(1, .i32(version))
    result.set(2, .list(schema.map(\.thrift)))
    result.set(3, .i64(rowCount))
    result.set(4, .list(rowGroups.map(\.thrift)))
    if !keyValues.isEmpty { result.set(5, KeyValues.thrift(keyValues)) }
    result.set(6, createdBy.map { .string($0) })
    let leaves = schema.filter { $0.childCount == nil }.count
    let typeOrder = ThriftStruct([(1, .empty)])
    result.set(7, .list(Array(repeating: typeOrder, count: leaves)))
    return result
  }
}

public struct RowGroup: Sendable {
  public var columns: [ColumnChunk]
  public var totalByteSize: Int64
  public var rowCount: Int64
  public var fileOffset: Int64?
  public var totalCompressedSize: Int64?
  public var ordinal: Int16?

  public init(columns: [ColumnChunk], totalByteSize: Int64, rowCount: Int64) {
    self.columns = columns
    self.totalByteSize = totalByteSize
    self.rowCount = rowCount
  }

  init(thrift: ThriftStruct) throws(FormatError) {
    columns = []
    for (index, chunk) in (try thrift.structs(1, "columns") ?? []).enumerated() {
      do {
        columns.append(try ColumnChunk(thrift: chunk))
      } catch {
        throw FormatError("column chunk \(index): \(error.message)")
      }
    }
    totalByteSize = try thrift.integer(2, "total_byte_size")
    rowCount = try thrift.integer(3, "num_rows")
    guard rowCount >= 0 else { throw FormatError("num_rows \(rowCount) is negative") }
    fileOffset = try thrift.optionalInteger(5, "file_offset")
    totalCompressedSize = try thrift.optionalInteger(6, "total_compressed_size")
    ordinal = try thrift.optionalInteger(7, "ordinal").map { Int16(clamping: $0) }
  }

  var thrift: ThriftStruct {
    var result = ThriftStruct()
    result.set(1, .list(columns.map(\.thrift)))
    result.set(2, .i64(totalByteSize))
    result.set(3, .i64(rowCount))
    result.set(5, fileOffset.map { .i64($0) })
    result.set(6, totalCompressedSize.map { .i64($0) })
    result.set(7, ordinal.map { .i16($0) })
    return result
  }
}

public struct ColumnChunk: Sendable {
  /// Set when the chunk lives in another file, which meshc does not read.
  public var filePath: String?
  public var metaData: ColumnMetaData

  public init(metaData: ColumnMetaData) {
    filePath = nil
    self.metaData = metaData
  }

  init(thrift: ThriftStruct) throws(FormatError) {
    filePath = try thrift.optionalBinary(1, "file_path").map { String(decoding: $0, as: UTF8.self) }
    if thrift[9] != nil { throw FormatError("its metadata is encrypted, which meshc does not read") }
    guard let meta = try thrift.optionalStruct(3, "meta_data") else { throw FormatError("meta_data is missing") }
    metaData = try ColumnMetaData(thrift: meta)
  }

  var thrift: ThriftStruct {
    var result = ThriftStruct()
    result.set(1, filePath.map { .string($0) })
    result.set(2, .i64(0))
    result.set(3, .structure(metaData.thrift))
    return result
  }
}

public struct ColumnMetaData: Sendable {
  public var type: PhysicalType
  public var encodings: [ParquetEncoding]
  public var path: [String]
  /// The raw codec number, so that an unknown codec is named rather than refused early.
  public var codec: Int32
  public var valueCount: Int64
  public var totalUncompressedSize: Int64
  public var totalCompressedSize: Int64
  public var dataPageOffset: Int64
  public var dictionaryPageOffset: Int64?
  public var statistics: Statistics?

  public init(
    type: PhysicalType, encodings: [ParquetEncoding], path: [String], codec: CompressionCodec, valueCount: Int64,
    totalUncompressedSize: Int64, totalCompressedSize: Int64, dataPageOffset: Int64,
    dictionaryPageOffset: Int64?, statistics: Statistics?
  ) {
    self.type = type
    self.encodings = encodings
    self.path = path
    self.codec = codec.rawValue
    self.valueCount = valueCount
    self.totalUncompressedSize = totalUncompressedSize
    self.totalCompressedSize = totalCompressedSize
    self.dataPageOffset = dataPageOffset
    self.dictionaryPageOffset = dictionaryPageOffset
    self.statistics = statistics
  }

  init(thrift: ThriftStruct) throws(FormatError) {
    type = try thrift.enumeration(1, "type", as: PhysicalType.self)
    // Encodings this reader does not know are named when a page uses them.
    encodings = (try thrift.list(2, "encodings") ?? []).compactMap {
      $0.integer.flatMap { Int32(exactly: $0) }.flatMap(ParquetEncoding.init(rawValue:))
    }
    path = (try thrift.list(3, "path_in_schema") ?? []).compactMap {
      if case .binary(let bytes) = $0 { String(decoding: bytes, as: UTF8.self) } else { nil }
    }
    codec = Int32(clamping: try thrift.integer(4, "codec"))
    valueCount = try thrift.integer(5, "num_values")
    totalUncompressedSize = try thrift.integer(6, "total_uncompressed_size")
    totalCompressedSize = try thrift.integer(7, "total_compressed_size")
    dataPageOffset = try thrift.integer(9, "data_page_offset")
    dictionaryPageOffset = try thrift.optionalInteger(11, "dictionary_page_offset")
    statistics = try thrift.optionalStruct(12, "statistics").map { nested throws(FormatError) in
      try Statistics(thrift: nested)
    }
  }

  var thrift: ThriftStruct {
    var result = ThriftStruct()
    result.set(1, .i32(type.rawValue))
    result.set(2, .list(.i32, encodings.map { .i32($0.rawValue) }))
    result.set(3, .list(.binary, path.map { .string($0) }))
    result.set(4, .i32(codec))
    result.set(5, .i64(valueCount))
    result.set(6, .i64(totalUncompressedSize))
    result.set(7, .i64(totalCompressedSize))
    result.set(9, .i64(dataPageOffset))
    result.set(11, dictionaryPageOffset.map { .i64($0) })
    result.set(12, statistics.map { .structure($0.thrift) })
    return result
  }

  /// Where the chunk's first page is: its dictionary page when it has one. Some writers
  /// record a dictionary offset of 0 for chunks without one; that is ignored.
  public var firstPageOffset: Int64 {
    if let dictionaryPageOffset, dictionaryPageOffset > 0, dictionaryPageOffset < dataPageOffset {
      return dictionaryPageOffset
    }
    return dataPageOffset
  }
}

enum KeyValues {
  static func read(
    _ thrift: ThriftStruct, _ id: Int16, _ name: String
  ) throws(FormatError) -> [(
    key: String, value: String?
  )] {
    var result: [(key: String, value: String?)] = []
    for entry in try thrift.structs(id, name) ?? [] {
      let key = try entry.string(1, "a key_value_metadata key")
      let value = try entry.optionalBinary(2, "the value of \(key)").map { String(decoding: $0, as: UTF8.self) }
      result.append((key, value))
    }
    return result
  }

  static func thrift(_ entries: [(key: String, value: String?)]) -> ThriftValue {
    .list(
      entries.map { entry in
        var result = ThriftStruct([(1, .string(entry.key))])
        result.set(2, entry.value.map { .string($0) })
        return result
      })
  }
}
