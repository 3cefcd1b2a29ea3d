/// The enumerations of parquet.thrift that meshc reads and writes, by their wire values.
public enum PhysicalType: Int32, Sendable, Hashable {
  case boolean = 0
  case int32 = 1
  case int64 = 2
  case int96 = 3
  case float = 4
  case double = 5
  case byteArray = 6
  case fixedLenByteArray = 7

  public var name: String {
    switch self {
    case .boolean: "BOOLEAN"
    case .int32: "INT32"
    case .int64: "INT64"
    case .int96: "INT96"
    case .float: "FLOAT"
    case .double: "DOUBLE"
    case .byteArray: "BYTE_ARRAY"
    case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
    }
  }
}

public enum Repetition: Int32, Sendable, Hashable {
  case required = 0
  case optional = 1
  case repeated = 2

  public var name: String {
    switch self {
    case .required: "required"
    case .optional: "optional"
    case .repeated: "repeated"
    }
  }
}

public enum ConvertedType: Int32, Sendable, Hashable {
  case utf8 = 0, map, mapKeyValue, list, enumeration, decimal, date, timeMillis, timeMicros, timestampMillis
  case timestampMicros, uint8, uint16, uint32, uint64, int8, int16, int32, int64, json, bson, interval
}

public enum ParquetEncoding: Int32, Sendable, Hashable {
  case plain = 0
  case plainDictionary = 2
  case rle = 3
  case bitPacked = 4
  case deltaBinaryPacked = 5
  case deltaLengthByteArray = 6
  case deltaByteArray = 7
  case rleDictionary = 8
  case byteStreamSplit = 9

  public var name: String {
    switch self {
    case .plain: "PLAIN"
    case .plainDictionary: "PLAIN_DICTIONARY"
    case .rle: "RLE"
    case .bitPacked: "BIT_PACKED"
    case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
    case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
    case .deltaByteArray: "DELTA_BYTE_ARRAY"
    case .rleDictionary: "RLE_DICTIONARY"
    case .byteStreamSplit: "BYTE_STREAM_SPLIT"
    }
  }
}

/// Parquet's compression codecs; the ones meshc has no library for are named in errors.
public enum CompressionCodec: Int32, Sendable, Hashable {
  case uncompressed = 0, snappy, gzip, lzo, brotli, lz4, zstd, lz4Raw

  public var name: String {
    switch self {
    case .uncompressed: "UNCOMPRESSED"
    case .snappy: "SNAPPY"
    case .gzip: "GZIP"
    case .lzo: "LZO"
    case .brotli: "BROTLI"
    case .lz4: "LZ4"
    case .zstd: "ZSTD"
    case .lz4Raw: "LZ4_RAW"
    }
  }

  public var codec: Codec? {
    switch self {
    case .uncompressed: Codec.none
    case .snappy: .snappy
    case .gzip: .gzip
    case .zstd: .zstd
    case .lz4Raw: .lz4Raw
    case .lz4: .lz4Hadoop
    case .lzo, .brotli: nil
    }
  }

  public init?(_ codec: Codec) {
    switch codec {
    case .none: self = .uncompressed
    case .snappy: self = .snappy
    case .gzip: self = .gzip
    case .zstd: self = .zstd
    case .lz4Raw: self = .lz4Raw
    case .lz4Hadoop: self = .lz4
    case .deflate: return nil
    }
  }
}

public enum PageType: Int32, Sendable, Hashable {
  case dataPage = 0, indexPage, dictionaryPage, dataPageV2
}

extension ThriftStruct {
  func enumeration<E: RawRepresentable<Int32>>(_ id: Int16, _ name: String, as: E.Type) throws(FormatError) -> E {
    let number = try integer(id, name)
    guard let raw = Int32(exactly: number), let value = E(rawValue: raw) else {
      throw FormatError("\(name) \(number) is not a value this reader knows")
    }
    return value
  }

  func optionalEnumeration<E: RawRepresentable<Int32>>(
    _ id: Int16, _ name: String, as type: E.Type
  )
    throws(FormatError) -> E?
  {
    guard self[id] != nil else { return nil }
    return try enumeration(id, name, as: type)
  }
}
