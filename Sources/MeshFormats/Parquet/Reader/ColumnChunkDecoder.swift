/// A leaf column chunk decoded: one definition and repetition level per entry (absent
/// when the leaf's maximum is 0) and the present values.
struct LeafData {
  var definition: [UInt8]
  var repetition: [UInt8]
  var values: PhysicalValues
  var entryCount: Int
  /// Each page's values while the chunk is decoded; joined into `values` at its end.
  var pages: [PhysicalValues] = []
}

/// Decodes the pages of one column chunk: dictionary page, data pages v1 and v2, in
/// every encoding and codec meshc reads. Errors say which page and what is wrong.
struct ColumnChunkDecoder {
  let leaf: ParquetSchema.Leaf
  let meta: ColumnMetaData

  var physical: PhysicalType { leaf.element.type ?? meta.type }
  var typeLength: Int { leaf.element.typeLength ?? 0 }

  func decode(_ bytes: [UInt8]) throws(FormatError) -> LeafData {
    guard let codec = CompressionCodec(rawValue: meta.codec).flatMap(\.codec) else {
      let name = CompressionCodec(rawValue: meta.codec)?.name ?? "codec \(meta.codec)"
      throw FormatError(
        "it is compressed with \(name), which meshc does not read (it reads SNAPPY, GZIP, ZSTD, LZ4, LZ4_RAW)")
    }
    var data = LeafData(definition: [], repetition: [], values: .empty(physical), entryCount: 0)
    var dictionary: PhysicalValues?
    var offset = 0
    var page = 0
    while offset < bytes.count, data.entryCount < meta.valueCount {
      let (header, headerSize) = try Self.header(bytes, at: offset, page: page)
      let bodyStart = offset + headerSize
      guard header.compressedSize <= bytes.count - bodyStart else {
        throw FormatError("page \(page) claims \(header.compressedSize) bytes, more than the chunk holds")
      }
      let body = bytes[bodyStart..<bodyStart + header.compressedSize]
      if let crc = header.crc {
        let computed = body.withUnsafeBytes { CRC32.of($0) }
        guard UInt32(bitPattern: crc) == computed else {
          throw FormatError("page \(page)'s checksum does not match its bytes: the file is damaged")
        }
      }
      do throws(FormatError) {
        switch header.kind {
        case .dictionary(let count, let encoding):
          guard count <= header.uncompressedSize else {
            throw FormatError("a dictionary of \(count) values cannot fit its \(header.uncompressedSize) bytes")
          }
          guard encoding == .plain || encoding == .plainDictionary else {
            throw FormatError("a dictionary in \(encoding.name) is not valid")
          }
          var cursor = PageCursor(try decompress(body, codec, size: header.uncompressedSize))
          dictionary = try PlainDecoding.decode(&cursor, type: physical, typeLength: typeLength, count: count)
        case .data(let count, let encoding, let definitionEncoding, let repetitionEncoding):
          try checkCount(count, header, decoded: data.entryCount)
          let page = try decompress(body, codec, size: header.uncompressedSize)
          var cursor = PageCursor(page)
          try readLevels(
            &cursor, count: count, encoding: repetitionEncoding, max: leaf.maxRepetition, into: &data.repetition)
          try readLevels(
            &cursor, count: count, encoding: definitionEncoding, max: leaf.maxDefinition, into: &data.definition)
          try readValues(&cursor, encoding: encoding, entries: count, dictionary: dictionary, into: &data)
        case .dataV2(let count, _, _, let encoding, let definitionLength, let repetitionLength, let compressed):
          try checkCount(count, header, decoded: data.entryCount)
          let levelsEnd = repetitionLength + definitionLength
          guard levelsEnd <= body.count, levelsEnd <= header.uncompressedSize else {
            throw FormatError("its levels are longer than the page")
          }
          let raw = Array(body)
          var repetitionCursor = PageCursor(raw, from: 0, to: repetitionLength)
          if leaf.maxRepetition > 0 {
            try RLEHybrid.decode(
              &repetitionCursor, bitWidth: RLEHybrid.bitWidth(leaf.maxRepetition), count: count, into: &data.repetition)
          }
          var definitionCursor = PageCursor(raw, from: repetitionLength, to: levelsEnd)
          if leaf.maxDefinition > 0 {
            try RLEHybrid.decode(
              &definitionCursor, bitWidth: RLEHybrid.bitWidth(leaf.maxDefinition), count: count, into: &data.definition)
          }
          let values =
            compressed && codec != .none && body.count > levelsEnd
            ? try decompress(body.dropFirst(levelsEnd), codec, size: header.uncompressedSize - levelsEnd)
            : Array(body.dropFirst(levelsEnd))
          var cursor = PageCursor(values)
          try readValues(&cursor, encoding: encoding, entries: count, dictionary: dictionary, into: &data)
        case .other:
          break
        }
      } catch {
        throw FormatError("page \(page): \(error.message)")
      }
      offset = bodyStart + header.compressedSize
      page += 1
    }
    data.values = PhysicalValues.joined(data.pages, type: physical)
    data.pages = []
    guard data.entryCount == meta.valueCount else {
      throw FormatError("its pages hold \(data.entryCount) values, not the \(meta.valueCount) its metadata records")
    }
    try checkLevels(data)
    return data
  }

  /// Levels in runs expand without bound, so a page's count is not proven by its bytes;
  /// it must stay within the chunk's count and within what writers make (DuckDB's
  /// largest pages hold 122,880 values; pyarrow's and parquet-mr's 20,000), so that a
  /// forged count cannot make the reader allocate without end.
  static let largestRunExpansion = 1 << 17

  private func checkCount(_ count: Int, _ header: PageHeader, decoded: Int) throws(FormatError) {
    guard Int64(count) <= meta.valueCount - Int64(decoded) else {
      throw FormatError("it claims \(count) values, more than the chunk's \(meta.valueCount)")
    }
    let bytes = max(header.uncompressedSize, header.compressedSize)
    guard count <= 8 * bytes + Self.largestRunExpansion else {
      throw FormatError("it claims \(count) values in \(bytes) bytes, more than any writer packs")
    }
  }

  static func header(_ bytes: [UInt8], at offset: Int, page: Int) throws(FormatError) -> (PageHeader, Int) {
    let result = bytes.withUnsafeBytes { raw in
      Result { () throws(FormatError) -> (PageHeader, Int) in
        var reader = CompactReader(raw, offset: offset)
        let thrift = try reader.readStruct()
        return (try PageHeader(thrift: thrift), reader.offset - offset)
      }
    }
    do throws(FormatError) {
      return try result.get()
    } catch {
      throw FormatError("page \(page)'s header: \(error.message)")
    }
  }

  private func decompress(_ body: ArraySlice<UInt8>, _ codec: Codec, size: Int) throws(FormatError) -> [UInt8] {
    do throws(CodecError) {
      return try codec.decompress(body, size: size)
    } catch {
      throw FormatError(error.message)
    }
  }

  /// v1 levels: a 4-byte length, then the RLE hybrid (or the deprecated BIT_PACKED).
  private func readLevels(
    _ cursor: inout PageCursor, count: Int, encoding: ParquetEncoding, max maximum: Int, into levels: inout [UInt8]
  ) throws(FormatError) {
    guard maximum > 0 else { return }
    let width = RLEHybrid.bitWidth(maximum)
    switch encoding {
    case .rle:
      let length = Int(try cursor.uint32())
      let range = try cursor.take(length)
      var levelCursor = PageCursor(cursor.bytes, from: range.lowerBound, to: range.upperBound)
      try RLEHybrid.decode(&levelCursor, bitWidth: width, count: count, into: &levels)
    case .bitPacked:
      // Packed most significant bit first, without a length.
      let range = try cursor.take((count * width + 7) / 8)
      var bit = 0
      for _ in 0..<count {
        var value = 0
        for _ in 0..<width {
          let byte = cursor.bytes[range.lowerBound + bit / 8]
          value = value << 1 | Int(byte >> (7 - UInt8(bit % 8)) & 1)
          bit += 1
        }
        levels.append(UInt8(truncatingIfNeeded: value))
      }
    default:
      throw FormatError("levels in \(encoding.name) are not valid")
    }
  }

  private func readValues(
    _ cursor: inout PageCursor, encoding: ParquetEncoding, entries: Int, dictionary: PhysicalValues?,
    into data: inout LeafData
  ) throws(FormatError) {
    let start = data.entryCount
    data.entryCount += entries
    // Present values are the entries defined down to the leaf.
    var count = entries
    if leaf.maxDefinition > 0 {
      let top = UInt8(leaf.maxDefinition)
      count = 0
      for level in data.definition[start...] where level == top { count += 1 }
    }
    let values: PhysicalValues
    switch encoding {
    case .plain:
      values = try PlainDecoding.decode(&cursor, type: physical, typeLength: typeLength, count: count)
    case .plainDictionary, .rleDictionary:
      guard let dictionary else { throw FormatError("it is dictionary-encoded, but the chunk has no dictionary page") }
      guard count > 0 else { return }
      let width = Int(try cursor.byte())
      var indices: [Int32] = []
      try RLEHybrid.decode(&cursor, bitWidth: width, count: count, into: &indices)
      let size = dictionary.count
      for index in indices where index < 0 || Int(index) >= size {
        throw FormatError("dictionary index \(index) is outside its \(size) entries")
      }
      values = dictionary.gather(indices)
    case .rle:
      guard physical == .boolean else { throw FormatError("RLE values must be booleans, not \(physical.name)") }
      _ = try cursor.uint32()
      var bits: [UInt8] = []
      try RLEHybrid.decode(&cursor, bitWidth: 1, count: count, into: &bits)
      values = .boolean(bits.map { $0 != 0 })
    case .deltaBinaryPacked:
      let decoded = try DeltaDecoding.binaryPacked(&cursor, expected: count).prefix(count)
      switch physical {
      case .int32: values = .int32(decoded.map { Int32(truncatingIfNeeded: $0) })
      case .int64: values = .int64(Array(decoded))
      default: throw FormatError("DELTA_BINARY_PACKED does not apply to \(physical.name)")
      }
    case .deltaLengthByteArray:
      guard physical == .byteArray else {
        throw FormatError("DELTA_LENGTH_BYTE_ARRAY does not apply to \(physical.name)")
      }
      values = try DeltaDecoding.lengthByteArray(&cursor, count: count)
    case .deltaByteArray:
      guard physical == .byteArray || physical == .fixedLenByteArray else {
        throw FormatError("DELTA_BYTE_ARRAY does not apply to \(physical.name)")
      }
      values = try DeltaDecoding.byteArray(&cursor, count: count)
    case .byteStreamSplit:
      values = try DeltaDecoding.byteStreamSplit(&cursor, type: physical, typeLength: typeLength, count: count)
    case .bitPacked:
      throw FormatError("values in BIT_PACKED are not valid")
    }
    guard values.count == count else { throw FormatError("it holds \(values.count) values, not \(count)") }
    data.pages.append(values)
  }

  private func checkLevels(_ data: LeafData) throws(FormatError) {
    let maxDefinition = UInt8(clamping: leaf.maxDefinition)
    for level in data.definition where level > maxDefinition {
      throw FormatError("a definition level \(level) exceeds the column's maximum \(maxDefinition)")
    }
    let maxRepetition = UInt8(clamping: leaf.maxRepetition)
    for level in data.repetition where level > maxRepetition {
      throw FormatError("a repetition level \(level) exceeds the column's maximum \(maxRepetition)")
    }
    if let first = data.repetition.first, first != 0 {
      throw FormatError("the chunk's first repetition level is \(first), not 0")
    }
  }
}
