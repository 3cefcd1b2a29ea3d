import MeshBytes
import MeshData

/// Writes one leaf's column chunk of a row group: levels and values gathered into
/// pages, dictionary-encoded until the dictionary outgrows its budget (then PLAIN),
/// each page compressed as it closes. The chunk's bytes wait for the row group to end.
final class LeafChunkWriter {
  let kind: LeafValueKind
  let element: SchemaElement
  let path: [String]
  let maxDefinition: Int
  let maxRepetition: Int
  private let options: ParquetWriteOptions

  // The page being filled.
  private var definition: [UInt8] = []
  private var repetition: [UInt8] = []
  private var pageRows = 0
  private var pageValues = 0
  private var plain = ByteWriter(capacity: 64 * 1024)
  private var booleans: [Bool] = []
  private var indices: [Int32] = []

  // The chunk so far.
  private var dictionary = BinaryDictionary()
  private var usesDictionary: Bool
  private var pages = ByteWriter(capacity: 64 * 1024)
  private var uncompressedSize = 0
  private var valueCount = 0
  private var nullCount = 0
  private var bounds = ValueBounds()
  private var encodings: Set<ParquetEncoding> = [.rle]

  init(
    element: SchemaElement, type: DataType, path: [String], maxDefinition: Int, maxRepetition: Int,
    options: ParquetWriteOptions
  ) {
    kind = LeafValueKind(type)
    self.element = element
    self.path = path
    self.maxDefinition = maxDefinition
    self.maxRepetition = maxRepetition
    self.options = options
    switch kind {
    case .boolean, .null: usesDictionary = false
    default: usesDictionary = options.dictionary
    }
  }

  /// Bytes the chunk holds so far, compressed pages and the open page.
  var bufferedBytes: Int { pages.count + plain.count + indices.count + booleans.count / 8 + dictionary.bytes.count }

  func append(_ leaf: ShreddedLeaf) throws(FormatError) {
    definition.append(contentsOf: leaf.definition)
    repetition.append(contentsOf: leaf.repetition)
    pageRows += leaf.rowCount
    valueCount += leaf.definition.count
    nullCount += leaf.definition.count - leaf.valueRows.count
    pageValues += leaf.valueRows.count
    try appendValues(leaf.column, leaf.valueRows)
    if usesDictionary, dictionary.bytes.count > options.dictionaryBytes {
      // Pages written so far keep their indices; the rest of the chunk is PLAIN.
      try closePage()
      usesDictionary = false
    } else if plain.count + indices.count * 2 + booleans.count / 8 >= options.pageBytes {
      try closePage()
    }
  }

  private func appendValues(_ column: Column, _ rows: [Int32]) throws(FormatError) {
    switch (kind, column.values) {
    case (.null, _): return
    case (.boolean, .boolean(let values)):
      for row in rows {
        booleans.append(values[Int(row)])
        bounds.add(Int64(values[Int(row)] ? 1 : 0))
      }
    case (.int32, .int32(let values)):
      for row in rows {
        let value = values[Int(row)]
        bounds.add(Int64(value))
        add(fixed: value.littleEndian)
      }
    case (.int32FromInt64, .int64(let values)):
      for row in rows {
        let value = values[Int(row)]
        guard let narrow = Int32(exactly: value) else {
          throw FormatError("\(value) does not fit the INT32 of \(columnName)")
        }
        bounds.add(value)
        add(fixed: narrow.littleEndian)
      }
    case (.int64, .int64(let values)):
      for row in rows {
        let value = values[Int(row)]
        bounds.add(value)
        add(fixed: value.littleEndian)
      }
    case (.float, .float32(let values)):
      for row in rows {
        let value = values[Int(row)]
        bounds.add(Double(value))
        add(fixed: value.bitPattern.littleEndian)
      }
    case (.double, .float64(let values)):
      for row in rows {
        let value = values[Int(row)]
        bounds.add(value)
        add(fixed: value.bitPattern.littleEndian)
      }
    case (.binary, .binary(let offsets, let bytes)):
      bytes.withUnsafeBytes { raw in
        for row in rows {
          let value = UnsafeRawBufferPointer(rebasing: raw[Int(offsets[Int(row)])..<Int(offsets[Int(row) + 1])])
          add(variable: value)
        }
      }
    case (.fixed(let size), .binary(let offsets, let bytes)):
      for row in rows where offsets[Int(row) + 1] - offsets[Int(row)] != size {
        let count = offsets[Int(row) + 1] - offsets[Int(row)]
        throw FormatError("a value of \(count) bytes in the fixed(\(size)) column \(columnName)")
      }
      bytes.withUnsafeBytes { raw in
        for row in rows {
          add(fixedBytes: UnsafeRawBufferPointer(rebasing: raw[Int(offsets[Int(row)])..<Int(offsets[Int(row) + 1])]))
        }
      }
    case (.uuid, .binary(let offsets, let bytes)):
      for row in rows {
        guard let value = UUIDText.bytes(bytes[Int(offsets[Int(row)])..<Int(offsets[Int(row) + 1])]) else {
          throw FormatError("the uuid column \(columnName) holds a value that is not a uuid")
        }
        value.withUnsafeBytes { add(fixedBytes: $0) }
      }
    case (.enumSymbols(let symbols), .int32(let values)):
      for row in rows {
        let index = Int(values[Int(row)])
        guard symbols.indices.contains(index) else {
          throw FormatError("enum index \(index) is out of range in \(columnName)")
        }
        symbols[index].withUnsafeBytes { add(variable: $0) }
      }
    default:
      throw FormatError(
        "a \(column.type) column does not match the writer's \(element.type?.name ?? "group") \(columnName)")
    }
  }

  private var columnName: String { path.joined(separator: ".") }

  @inline(__always) private func add<T: FixedWidthInteger>(fixed value: T) {
    withUnsafeBytes(of: value) { add(fixedBytes: $0) }
  }

  @inline(__always) private func add(fixedBytes value: UnsafeRawBufferPointer) {
    if usesDictionary {
      indices.append(dictionary.index(of: value))
    } else {
      plain.write(value)
    }
  }

  @inline(__always) private func add(variable value: UnsafeRawBufferPointer) {
    bounds.add(value)
    if usesDictionary {
      indices.append(dictionary.index(of: value))
    } else {
      plain.writeLittleEndian(UInt32(value.count))
      plain.write(value)
    }
  }

  /// Compresses the open page and appends it, header first, to the chunk.
  private func closePage() throws(FormatError) {
    guard !definition.isEmpty else { return }
    var values: [UInt8] = []
    let encoding: ParquetEncoding
    if usesDictionary {
      encoding = .rleDictionary
      let width = RLEHybrid.bitWidth(max(0, dictionary.count - 1))
      values.append(UInt8(width))
      RLEHybrid.encode(indices, bitWidth: width, into: &values)
    } else {
      encoding = .plain
      if case .boolean = kind {
        values = [UInt8](repeating: 0, count: (booleans.count + 7) / 8)
        for (index, flag) in booleans.enumerated() where flag { values[index >> 3] |= 1 << UInt8(index & 7) }
      } else {
        values = plain.bytes
      }
    }
    encodings.insert(encoding)
    var repetitionLevels: [UInt8] = []
    var definitionLevels: [UInt8] = []
    if maxRepetition > 0 {
      RLEHybrid.encode(repetition, bitWidth: RLEHybrid.bitWidth(maxRepetition), into: &repetitionLevels)
    }
    if maxDefinition > 0 {
      RLEHybrid.encode(definition, bitWidth: RLEHybrid.bitWidth(maxDefinition), into: &definitionLevels)
    }
    let nulls = definition.count - pageValues
    switch options.pageVersion {
    case .v1:
      let body = v1Body(repetitionLevels, definitionLevels, values)
      let compressed = try compress(body)
      let header = PageHeader(
        kind: .data(
          valueCount: definition.count, encoding: encoding, definitionEncoding: .rle, repetitionEncoding: .rle),
        uncompressedSize: body.count, compressedSize: compressed.count)
      append(header, compressed, uncompressed: body.count)
    case .v2:
      let compressed = try compress(values)
      var body = repetitionLevels
      body.append(contentsOf: definitionLevels)
      let levelsCount = body.count
      body.append(contentsOf: compressed)
      let header = PageHeader(
        kind: .dataV2(
          valueCount: definition.count, nullCount: nulls, rowCount: pageRows, encoding: encoding,
          definitionLength: definitionLevels.count, repetitionLength: repetitionLevels.count,
          compressed: options.codec != .none),
        uncompressedSize: levelsCount + values.count, compressedSize: body.count)
      append(header, body, uncompressed: levelsCount + values.count)
    }
    definition.removeAll(keepingCapacity: true)
    repetition.removeAll(keepingCapacity: true)
    plain.removeAll()
    booleans.removeAll(keepingCapacity: true)
    indices.removeAll(keepingCapacity: true)
    pageRows = 0
    pageValues = 0
  }

  private func v1Body(_ repetitionLevels: [UInt8], _ definitionLevels: [UInt8], _ values: [UInt8]) -> [UInt8] {
    var body: [UInt8] = []
    body.reserveCapacity(repetitionLevels.count + definitionLevels.count + values.count + 8)
    if maxRepetition > 0 {
      body.append(contentsOf: withUnsafeBytes(of: UInt32(repetitionLevels.count).littleEndian) { Array($0) })
      body.append(contentsOf: repetitionLevels)
    }
    if maxDefinition > 0 {
      body.append(contentsOf: withUnsafeBytes(of: UInt32(definitionLevels.count).littleEndian) { Array($0) })
      body.append(contentsOf: definitionLevels)
    }
    body.append(contentsOf: values)
    return body
  }

  private func compress(_ bytes: [UInt8]) throws(FormatError) -> [UInt8] {
    do throws(CodecError) {
      return try options.codec.compress(bytes, level: options.compressionLevel)
    } catch {
      throw FormatError("compressing a page of \(columnName): \(error.message)")
    }
  }

  /// Every page carries the CRC-32 of its bytes as stored, so readers catch damage.
  private func append(_ header: PageHeader, _ body: [UInt8], uncompressed: Int) {
    var header = header
    if options.pageChecksums { header.crc = Int32(bitPattern: body.withUnsafeBytes { CRC32.of($0) }) }
    let headerBytes = CompactWriter.bytes(of: header.thrift)
    pages.write(headerBytes)
    pages.write(body)
    uncompressedSize += headerBytes.count + uncompressed
  }

  /// The chunk's bytes, to be written at `offset` in the file, and its metadata; the
  /// writer starts the next chunk empty.
  func finish(at offset: Int64) throws(FormatError) -> ([UInt8], ColumnMetaData) {
    try closePage()
    var output = ByteWriter(capacity: pages.count + dictionary.bytes.count + 64)
    var dictionaryOffset: Int64?
    var total = uncompressedSize
    if encodings.contains(.rleDictionary) {
      let body = dictionaryBody()
      let compressed = try compress(body)
      let header = PageHeader(
        kind: .dictionary(valueCount: dictionary.count, encoding: .plain), uncompressedSize: body.count,
        compressedSize: compressed.count,
        crc: options.pageChecksums ? Int32(bitPattern: compressed.withUnsafeBytes { CRC32.of($0) }) : nil)
      let headerBytes = CompactWriter.bytes(of: header.thrift)
      dictionaryOffset = offset
      output.write(headerBytes)
      output.write(compressed)
      total += headerBytes.count + body.count
      encodings.insert(.plain)
    }
    let dataOffset = offset + Int64(output.count)
    output.write(pages.bytes)
    var statistics = Statistics(nullCount: Int64(nullCount))
    if let (low, high) = bounds.encoded(kind) {
      statistics.min = low
      statistics.max = high
    }
    let meta = ColumnMetaData(
      type: element.type ?? .int32, encodings: encodings.sorted { $0.rawValue < $1.rawValue }, path: path,
      codec: CompressionCodec(options.codec) ?? .uncompressed, valueCount: Int64(valueCount),
      totalUncompressedSize: Int64(total), totalCompressedSize: Int64(output.count), dataPageOffset: dataOffset,
      dictionaryPageOffset: dictionaryOffset, statistics: statistics)
    reset()
    return (output.bytes, meta)
  }

  private func dictionaryBody() -> [UInt8] {
    guard !kind.fixedWidth else { return dictionary.bytes }
    var body = ByteWriter(capacity: dictionary.bytes.count + 4 * dictionary.count)
    for index in 0..<dictionary.count {
      let start = Int(dictionary.offsets[index])
      let end = Int(dictionary.offsets[index + 1])
      body.writeLittleEndian(UInt32(end - start))
      body.write(dictionary.bytes[start..<end])
    }
    return body.bytes
  }

  private func reset() {
    dictionary = BinaryDictionary()
    switch kind {
    case .boolean, .null: usesDictionary = false
    default: usesDictionary = options.dictionary
    }
    pages.removeAll()
    uncompressedSize = 0
    valueCount = 0
    nullCount = 0
    bounds = ValueBounds()
    encodings = [.rle]
  }
}
