import MeshData
import MeshFormats
import MeshSchema

extension FuzzHarness {
  /// Avro object container files: read every block. What reads is written again as a
  /// container, which must read back to as many records.
  @Sendable public static func avroContainer(_ bytes: [UInt8]) {
    guard let reader = try? AvroContainerReader(bytes: bytes) else { return }
    var batches: [RecordBatch] = []
    while let batch = try? reader.nextBatch() { batches.append(batch) }
    guard let writer = try? AvroContainerWriter(schema: reader.writerSchema, codec: reader.codec) else {
      violated("a container's schema and codec that read do not write")
    }
    var file = writer.takeOutput()
    for batch in batches {
      do { try writer.write(batch) } catch { violated("a batch that read does not write: \(error)") }
    }
    do { try writer.finish() } catch { violated("a container does not finish: \(error)") }
    file += writer.takeOutput()
    guard let again = try? AvroContainerReader(bytes: file) else { violated("a written container does not read") }
    var count = 0
    while let batch = try? again.nextBatch() { count += batch.count }
    if count != batches.reduce(0, { $0 + $1.count }) { violated("a rewritten container lost records") }
  }
}

extension FuzzHarness {
  /// Thrift compact protocol (Parquet's footers and page headers): what reads writes back
  /// to bytes that read to the same tree.
  @Sendable public static func thriftCompact(_ bytes: [UInt8]) {
    guard let (value, _) = try? CompactReader.readStruct(bytes) else { return }
    let written = CompactWriter.bytes(of: value)
    guard let (again, used) = try? CompactReader.readStruct(written), again == value, used == written.count else {
      violated("a Thrift struct does not survive writing and reading")
    }
  }
}

extension FuzzHarness {
  /// Parquet files: read every row group. What reads is written again as a Parquet
  /// file, which must read back to as many records.
  @Sendable public static func parquetFile(_ bytes: [UInt8]) {
    guard let reader = try? ParquetReader(source: ParquetBytes(bytes)) else { return }
    var batches: [RecordBatch] = []
    while let batch = try? reader.nextBatch() { batches.append(batch) }
    guard let writer = try? ParquetWriter(records: reader.records) else {
      violated("the records of a Parquet file that read do not write")
    }
    for batch in batches {
      do { try writer.write(batch) } catch { violated("a batch that read does not write: \(error)") }
    }
    do { try writer.finish() } catch { violated("a Parquet file does not finish: \(error)") }
    guard let again = try? ParquetReader(source: ParquetBytes(writer.takeOutput())) else {
      violated("a written Parquet file does not read")
    }
    var count = 0
    while let batch = try? again.nextBatch() { count += batch.count }
    if count != batches.reduce(0, { $0 + $1.count }) { violated("a rewritten Parquet file lost records") }
  }
}

extension FuzzHarness {
  /// CSV: every record reads or the text is a located error; each field has its column,
  /// and a record read twice from the same text is the same.
  @Sendable public static func csvText(_ bytes: [UInt8]) {
    csvRecords(bytes)
    var reader = CSVReader(bytes: bytes)
    var again = CSVReader(bytes: bytes)
    var line = 0
    while true {
      let record: CSVReader.Record?
      do {
        record = try reader.next()
      } catch {
        if error.line < 1 || error.column < 1 { violated("a CSV error without a place: \(error)") }
        return
      }
      guard let record else { return }
      if record.count != record.columns.count || record.count != record.quoted.count {
        violated("a CSV record's fields, columns and quotes disagree")
      }
      if record.line <= line { violated("CSV records do not advance") }
      line = record.line
      guard (try? again.next()) == record else { violated("the same CSV text reads two ways") }
    }
  }
}
