/// The header before each page of a column chunk.
public struct PageHeader: Sendable {
  public enum Kind: Sendable {
    case data(
      valueCount: Int, encoding: ParquetEncoding, definitionEncoding: ParquetEncoding,
      repetitionEncoding: ParquetEncoding)
    case dataV2(
      valueCount: Int, nullCount: Int, rowCount: Int, encoding: ParquetEncoding, definitionLength: Int,
      repetitionLength: Int, compressed: Bool)
    case dictionary(valueCount: Int, encoding: ParquetEncoding)
    /// Index pages and page types this reader does not know: skipped.
    case other
  }

  public var kind: Kind
  public var uncompressedSize: Int
  public var compressedSize: Int
  public var crc: Int32?

  public init(kind: Kind, uncompressedSize: Int, compressedSize: Int, crc: Int32? = nil) {
    self.kind = kind
    self.uncompressedSize = uncompressedSize
    self.compressedSize = compressedSize
    self.crc = crc
  }

  init(thrift: ThriftStruct) throws(FormatError) {
    let type = try thrift.integer(1, "the page's type")
    uncompressedSize = try thrift.count(2, "uncompressed_page_size")
    compressedSize = try thrift.count(3, "compressed_page_size")
    crc = try thrift.optionalInteger(4, "crc").map { Int32(truncatingIfNeeded: $0) }
    switch Int32(exactly: type).flatMap(PageType.init(rawValue:)) {
    case .dataPage:
      guard let header = try thrift.optionalStruct(5, "data_page_header") else {
        throw FormatError("a data page has no data_page_header")
      }
      kind = .data(
        valueCount: try header.count(1, "num_values"),
        encoding: try Self.encoding(header, 2, "the page's encoding"),
        definitionEncoding: try Self.encoding(header, 3, "definition_level_encoding"),
        repetitionEncoding: try Self.encoding(header, 4, "repetition_level_encoding"))
    case .dataPageV2:
      guard let header = try thrift.optionalStruct(8, "data_page_header_v2") else {
        throw FormatError("a v2 data page has no data_page_header_v2")
      }
      kind = .dataV2(
        valueCount: try header.count(1, "num_values"), nullCount: try header.count(2, "num_nulls"),
        rowCount: try header.count(3, "num_rows"), encoding: try Self.encoding(header, 4, "the page's encoding"),
        definitionLength: try header.count(5, "definition_levels_byte_length"),
        repetitionLength: try header.count(6, "repetition_levels_byte_length"),
        compressed: try header.optionalBool(7, "is_compressed") ?? true)
    case .dictionaryPage:
      guard let header = try thrift.optionalStruct(7, "dictionary_page_header") else {
        throw FormatError("a dictionary page has no dictionary_page_header")
      }
      kind = .dictionary(
        valueCount: try header.count(1, "num_values"),
        encoding: try Self.encoding(header, 2, "the dictionary's encoding"))
    case .indexPage, nil:
      kind = .other
    }
  }

  private static func encoding(
    _ header: ThriftStruct, _ id: Int16, _ name: String
  ) throws(FormatError) -> ParquetEncoding {
    let raw = try header.integer(id, name)
    guard let encoding = Int32(exactly: raw).flatMap(ParquetEncoding.init(rawValue:)) else {
      throw FormatError("\(name) \(raw) is not an encoding meshc reads")
    }
    return encoding
  }

  var thrift: ThriftStruct {
    var result = ThriftStruct()
    switch kind {
    case .data, .other: result.set(1, .i32(PageType.dataPage.rawValue))
    case .dataV2: result.set(1, .i32(PageType.dataPageV2.rawValue))
    case .dictionary: result.set(1, .i32(PageType.dictionaryPage.rawValue))
    }
    result.set(2, .i32(Int32(clamping: uncompressedSize)))
    result.set(3, .i32(Int32(clamping: compressedSize)))
    result.set(4, crc.map { .i32($0) })
    switch kind {
    case .data(let count, let encoding, let definition, let repetition):
      result.set(
        5,
        .structure(
          ThriftStruct([
            (1, .i32(Int32(clamping: count))), (2, .i32(encoding.rawValue)), (3, .i32(definition.rawValue)),
            (4, .i32(repetition.rawValue)),
          ])))
    case .dataV2(
      let count, let nulls, let rows, let encoding, let definitionLength, let repetitionLength, let compressed):
      result.set(
        8,
        .structure(
          ThriftStruct([
            (1, .i32(Int32(clamping: count))), (2, .i32(Int32(clamping: nulls))), (3, .i32(Int32(clamping: rows))),
            (4, .i32(encoding.rawValue)), (5, .i32(Int32(clamping: definitionLength))),
            (6, .i32(Int32(clamping: repetitionLength))), (7, .bool(compressed)),
          ])))
    case .dictionary(let count, let encoding):
      result.set(7, .structure(ThriftStruct([(1, .i32(Int32(clamping: count))), (2, .i32(encoding.rawValue))])))
    case .other: break
    }
    return result
  }
}
