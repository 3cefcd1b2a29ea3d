public import MeshData
public import MeshSchema

/// A data file read batch by batch: Avro containers and Parquet files alike, for the
/// commands and connectors that do not care which.
public protocol BatchFileReader: AnyObject {
  /// The schema of the records the batches hold, in Avro terms.
  var avroSchema: Schema { get }
  func nextBatch() throws(FormatError) -> RecordBatch?
}

extension AvroContainerReader: BatchFileReader {
  public var avroSchema: Schema { readerSchema }
}

extension ParquetReader: BatchFileReader {}
