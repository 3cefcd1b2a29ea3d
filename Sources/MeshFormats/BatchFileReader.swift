public import MeshData
public import MeshSchema

/// A data file read batch by batch: Avro containers and Parquet files alike, for the
/// commands and connectors that do not care which.
public protocol BatchFileReader: AnyObject {
  /// The schema of the records the batches hold, in Avro terms.
  var avroSchema: Schema { get }
  func nextBatch() throws(FormatError) -> RecordBatch?
}

/// A data file written batch by batch; output is taken as it accumulates, so memory
/// stays bounded by what the format buffers (an Avro block, a Parquet row group).
public protocol BatchFileWriter: AnyObject {
  func write(_ batch: RecordBatch) throws(FormatError)
  /// Flushes what is buffered and writes the file's end (Parquet's footer).
  func finish() throws(FormatError)
  /// The bytes written since the last call.
  func takeOutput() -> [UInt8]
}

extension BatchFileWriter {
  /// The whole file of `batches`, finished.
  public func file(of batches: [RecordBatch]) throws(FormatError) -> [UInt8] {
    var file = takeOutput()
    for batch in batches {
      try write(batch)
      file += takeOutput()
    }
    try finish()
    return file + takeOutput()
  }
}

extension AvroContainerWriter: BatchFileWriter {}
extension ParquetWriter: BatchFileWriter {}

extension AvroContainerReader: BatchFileReader {
  public var avroSchema: Schema { readerSchema }
}

extension ParquetReader: BatchFileReader {}
