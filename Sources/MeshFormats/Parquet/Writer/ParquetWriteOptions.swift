/// How a Parquet file is written. The defaults follow pyarrow's: snappy, v1 data pages,
/// dictionary encoding with a 1 MiB budget per column chunk, 1 MiB pages, zstd at level 1.
public struct ParquetWriteOptions: Sendable {
  public enum PageVersion: String, Sendable { case v1, v2 }

  public var codec: Codec
  /// The codec's level; nil is the codec's Parquet default (zstd 1, as Arrow's; gzip 6).
  public var compressionLevel: Int?
  public var pageVersion: PageVersion
  public var dictionary: Bool
  /// A chunk's dictionary grows to this size, then its remaining pages are PLAIN.
  public var dictionaryBytes: Int
  /// A page closes once its values take this many bytes (at a batch's end).
  public var pageBytes: Int
  /// A row group closes once its chunks hold this many bytes (at a batch's end): what
  /// bounds the writer's memory.
  public var rowGroupBytes: Int
  /// A row group also closes at this many rows (pyarrow's default), so that what a
  /// reader decodes at once stays bounded however well the columns compress.
  public var rowGroupRows: Int
  /// Each page carries the CRC-32 of its bytes (readers that check it catch damage).
  public var pageChecksums: Bool

  public init(
    codec: Codec = .snappy, compressionLevel: Int? = nil, pageVersion: PageVersion = .v1, dictionary: Bool = true,
    dictionaryBytes: Int = 1 << 20, pageBytes: Int = 1 << 20, rowGroupBytes: Int = 64 << 20,
    rowGroupRows: Int = 1 << 20, pageChecksums: Bool = true
  ) {
    self.rowGroupRows = rowGroupRows
    self.pageChecksums = pageChecksums
    self.codec = codec
    self.compressionLevel = compressionLevel
    self.pageVersion = pageVersion
    self.dictionary = dictionary
    self.dictionaryBytes = dictionaryBytes
    self.pageBytes = pageBytes
    self.rowGroupBytes = rowGroupBytes
  }
}
