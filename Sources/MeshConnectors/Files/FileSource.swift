public import Foundation
public import MeshData
public import MeshFormats
public import MeshSchema

/// A file input: the files under the mesh root that match its glob, read in path order
/// as batches of the input's schema. CSV and JSON Lines are read against the schema, with
/// the records that do not fit rejected (for the dead-letter topic); Avro containers are
/// resolved to it; Parquet files give the schema's columns, by name, which must have its
/// types. The tracker says which files are new; the caller marks a file consumed when
/// the checkpoint that read it commits.
public struct FileSource: Sendable {
  public struct Read: Sendable {
    public var identity: FileIdentity
    public var batches: [RecordBatch]
    public var rejected: [RejectedRecord]
  }

  public let root: URL
  public let glob: PathGlob
  public let format: FileFormat
  public let schema: Schema
  public let records: RecordSchema
  public var csv: CSVBatchReader.Options

  public init(
    root: URL, glob: PathGlob, format: FileFormat, schema: Schema, csv: CSVBatchReader.Options = .init()
  )
    throws(FormatError)
  {
    guard let records = RecordSchema(avro: schema) else { throw FormatError("an input's schema must be a record") }
    self.root = root
    self.glob = glob
    self.format = format
    self.schema = schema
    self.records = records
    self.csv = csv
  }

  /// The matching files, relative to the root, sorted: what a run reads, in that order.
  public func matchingFiles() -> [String] {
    let base = root.appendingPathComponent(glob.baseDirectory)
    guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
    else { return [] }
    var paths: [String] = []
    let prefix = glob.baseDirectory.isEmpty ? "" : glob.baseDirectory + "/"
    for case let url as URL in enumerator {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
      let relative = prefix + url.path.dropFirst(base.path.count).drop { $0 == "/" }
      if glob.matches(relative) { paths.append(relative) }
    }
    return paths.sorted()
  }

  /// Reads one file whole. Nil when the tracker has consumed this content already.
  public func read(_ path: String, skipping tracker: FileTracker) throws(FormatError) -> Read? {
    guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
      throw FormatError("\(path) cannot be read")
    }
    let bytes = Array(data)
    let identity = FileIdentity(path: path, contents: bytes)
    if tracker.hasConsumed(identity) { return nil }
    var read = Read(identity: identity, batches: [], rejected: [])
    do throws(FormatError) {
      switch format {
      case .csv:
        let reader = try CSVBatchReader(bytes: bytes, schema: records, options: csv)
        while let (batch, rejected) = reader.nextBatch() { read.add(batch, rejected) }
      case .jsonl:
        let reader = JSONLinesBatchReader(bytes: bytes, schema: records, avro: schema)
        while let (batch, rejected) = reader.nextBatch() { read.add(batch, rejected) }
      case .avro:
        let reader = try AvroContainerReader(bytes: bytes, readerSchema: schema)
        while let batch = try reader.nextBatch() { read.add(batch, []) }
      case .parquet:
        let reader = try ParquetReader(source: ParquetBytes(bytes), columns: records.fields.map(\.name))
        for (field, found) in zip(records.fields, reader.records.fields) where field.type != found.type {
          throw FormatError("column \(field.name) is \(found.type), where the input's schema says \(field.type)")
        }
        while let batch = try reader.nextBatch() {
          read.add(RecordBatch(schema: records, columns: batch.columns, rowCount: batch.rowCount), [])
        }
      }
    } catch {
      throw FormatError("\(path): \(error.message)")
    }
    return read
  }
}

extension FileSource.Read {
  fileprivate mutating func add(_ batch: RecordBatch, _ rejected: [RejectedRecord]) {
    if batch.count > 0 { batches.append(batch) }
    self.rejected += rejected
  }
}
