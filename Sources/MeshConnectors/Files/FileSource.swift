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
  /// How much of a text file is read at once (a record longer than that is read whole).
  public var pieceBytes = FileChunks.pieceBytes
  /// CSV fields nobody reads (by index): not parsed.
  public var skippedFields: Set<Int> = []

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
  public func matchingFiles() -> [String] { glob.files(under: root) }

  /// A file opened for reading: its identity, and its records batch by batch, so that
  /// a file's records are never all in memory at once (its bytes are, for the text
  /// formats and Avro; Parquet files are read by row group).
  public final class OpenedFile {
    public let identity: FileIdentity
    private let next: () throws(FormatError) -> (RecordBatch, [RejectedRecord])?

    init(identity: FileIdentity, next: @escaping () throws(FormatError) -> (RecordBatch, [RejectedRecord])?) {
      self.identity = identity
      self.next = next
    }

    /// The next batch and the records rejected on the way; nil at the end.
    public func nextBatch() throws(FormatError) -> (RecordBatch, [RejectedRecord])? { try next() }
  }

  /// Opens one file; nil when the tracker has consumed this content already. CSV and
  /// JSON Lines are read in pieces, Avro containers block by block and Parquet by row
  /// group, so memory does not grow with the file.
  public func open(_ path: String, skipping tracker: FileTracker) throws(FormatError) -> OpenedFile? {
    let full = root.appendingPathComponent(path).path
    let identity: FileIdentity
    do {
      identity = try FileChunks.identity(path: full, relative: path)
    } catch {
      throw FormatError("\(path) cannot be read")
    }
    if tracker.hasConsumed(identity) { return nil }
    let records = records
    let schema = schema
    do throws(FormatError) {
      switch format {
      case .csv:
        let chunks = try Self.chunks(full, pieceBytes) { CSVReader.lastRecordEnd($0) }
        guard let first = try Self.piece(chunks) else { return OpenedFile(identity: identity) { nil } }
        let reader = try CSVBatchReader(bytes: first, schema: records, options: csv)
        reader.skippedFields = skippedFields
        return OpenedFile(identity: identity) { () throws(FormatError) in
          while true {
            if let next = reader.nextBatch() { return next }
            guard let piece = try Self.piece(chunks) else { return nil }
            reader.continueWith(piece)
          }
        }
      case .jsonl:
        let chunks = try Self.chunks(full, pieceBytes) { $0.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } }
        var reader: JSONLinesBatchReader?
        return OpenedFile(identity: identity) { () throws(FormatError) in
          while true {
            if let next = reader?.nextBatch() { return next }
            guard let piece = try Self.piece(chunks) else { return nil }
            reader = JSONLinesBatchReader(
              bytes: piece, schema: records, avro: schema, firstLine: reader?.nextLine ?? 1)
          }
        }
      case .avro:
        // Pieces of any length: the reader takes what each block needs.
        let chunks = try Self.chunks(full, pieceBytes) { $0.isEmpty ? nil : $0.endIndex }
        let reader = try AvroContainerReader(
          pieces: { () throws(FormatError) in try Self.piece(chunks) }, readerSchema: schema)
        return OpenedFile(identity: identity) { () throws(FormatError) in
          try reader.nextBatch().map { ($0, []) }
        }
      case .parquet:
        let reader = try ParquetReader(source: try ParquetFile(path: full), columns: records.fields.map(\.name))
        for (field, found) in zip(records.fields, reader.records.fields) where field.type != found.type {
          throw FormatError("column \(field.name) is \(found.type), where the input's schema says \(field.type)")
        }
        return OpenedFile(identity: identity) { () throws(FormatError) in
          try reader.nextBatch().map { (RecordBatch(schema: records, columns: $0.columns, rowCount: $0.rowCount), []) }
        }
      }
    } catch {
      throw FormatError("\(path): \(error.message)")
    }
  }

  private static func chunks(
    _ path: String, _ pieceBytes: Int, boundary: @escaping (ArraySlice<UInt8>) -> Int?
  )
    throws(FormatError) -> FileChunks
  {
    do {
      return try FileChunks(path: path, pieceBytes: pieceBytes, boundary: boundary)
    } catch {
      throw FormatError("cannot be read: \(error)")
    }
  }

  private static func piece(_ chunks: FileChunks) throws(FormatError) -> [UInt8]? {
    do {
      return try chunks.next()
    } catch {
      throw FormatError("reading failed: \(error)")
    }
  }

  /// Reads one file whole (for tests and small files). Nil when consumed already.
  public func read(_ path: String, skipping tracker: FileTracker) throws(FormatError) -> Read? {
    guard let file = try open(path, skipping: tracker) else { return nil }
    var read = Read(identity: file.identity, batches: [], rejected: [])
    do throws(FormatError) {
      while let (batch, rejected) = try file.nextBatch() { read.add(batch, rejected) }
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
