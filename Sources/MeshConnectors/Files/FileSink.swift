public import Foundation
public import MeshData
import MeshFormats
public import MeshSchema

#if canImport(Glibc)
  import Glibc
#endif

/// A batch port's files: records are written to staging files under the port's directory
/// (`.meshc-staging/`), one per partition, and become visible only when the checkpoint
/// that wrote them commits: each staged file is synced, then renamed to its final name —
/// `part-<checkpoint>-<n>.<ext>` in its partition's directory — and the directory synced.
/// Names depend only on the checkpoint and the partition, so a run replayed after a
/// crash replaces the files it had written rather than adding copies. Not thread-safe.
public final class FileSink {
  public struct Staged: Sendable, Hashable {
    public var staging: String
    public var final: String

    public init(staging: String, final: String) {
      self.staging = staging
      self.final = final
    }
  }

  /// How rows are laid out in directories: `day=2026-11-24/` from a field.
  public struct Partitioning: Sendable {
    public enum Transform: String, Sendable { case identity, year, month, day, hour }
    public var field: Int
    public var name: String
    public var transform: Transform

    public init(field: Int, name: String, transform: Transform) {
      self.field = field
      self.name = name
      self.transform = transform
    }
  }

  public let directory: URL
  public let format: FileFormat
  public let schema: Schema
  public let records: RecordSchema
  private let partitioning: Partitioning?
  private var writers: [String: any BatchFileWriter] = [:]
  private var handles: [String: FileHandle] = [:]
  private var checkpoint: Int64 = 0

  public init(directory: URL, format: FileFormat, schema: Schema, partitioning: Partitioning? = nil) throws(FormatError)
  {
    guard let records = RecordSchema(avro: schema) else { throw FormatError("a batch port's schema must be a record") }
    self.directory = directory
    self.format = format
    self.schema = schema
    self.records = records
    self.partitioning = partitioning
    _ = try Self.writer(format, schema, records)
  }

  var stagingDirectory: URL { directory.appendingPathComponent(".meshc-staging") }

  static func writer(
    _ format: FileFormat, _ schema: Schema, _ records: RecordSchema
  ) throws(FormatError)
    -> any BatchFileWriter
  {
    switch format {
    case .csv: try CSVFileWriter(schema: records)
    case .jsonl: JSONLinesFileWriter(avro: schema)
    case .parquet: try ParquetWriter(schema: schema)
    case .avro: try AvroContainerWriter(schema: schema, codec: .snappy)
    }
  }

  /// Appends the batch's records to the staging files of checkpoint `checkpoint`.
  public func write(_ batch: RecordBatch, checkpoint: Int64) throws(FormatError) {
    if writers.isEmpty { self.checkpoint = checkpoint }
    guard checkpoint == self.checkpoint else {
      throw FormatError("records of checkpoint \(checkpoint) while checkpoint \(self.checkpoint) is open")
    }
    for (partition, rows) in partitions(batch) {
      var part = batch
      part.selection = rows
      let writer = try openWriter(partition)
      try writer.write(part)
      try flush(writer, partition)
    }
  }

  /// Finishes the staging files and syncs them: what `commit` then makes visible.
  public func prepare() throws(FormatError) -> [Staged] {
    var staged: [Staged] = []
    for (index, partition) in writers.keys.sorted().enumerated() {
      guard let writer = writers[partition] else { continue }
      try writer.finish()
      try flush(writer, partition)
      do {
        try handles[partition]?.synchronize()
        try handles[partition]?.close()
      } catch {
        throw FormatError("syncing the staged file of \(partition.isEmpty ? "the port" : partition): \(error)")
      }
      let name = String(format: "part-%020lld-%05d.%@", checkpoint, index, format.fileExtension)
      staged.append(
        Staged(
          staging: stagingName(partition), final: partition.isEmpty ? name : partition + "/" + name))
    }
    writers = [:]
    handles = [:]
    return staged
  }

  /// Renames the staged files into place and syncs their directories. Done again after a
  /// crash, it finishes what the first attempt started (a file already in place stays).
  public func commit(_ staged: [Staged]) throws(FormatError) {
    var directories = Set<String>()
    for file in staged {
      let source = stagingDirectory.appendingPathComponent(file.staging)
      let target = directory.appendingPathComponent(file.final)
      let parent = target.deletingLastPathComponent()
      do {
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
      } catch {
        throw FormatError("creating \(parent.path): \(error)")
      }
      if FileManager.default.fileExists(atPath: source.path) {
        guard rename(source.path, target.path) == 0 else {
          throw FormatError("renaming \(source.path) to \(target.path): \(String(cString: strerror(errno)))")
        }
      } else if !FileManager.default.fileExists(atPath: target.path) {
        throw FormatError("the staged file \(file.staging) is gone and \(file.final) is not in place")
      }
      directories.insert(parent.path)
    }
    for path in directories { Self.syncDirectory(path) }
  }

  /// Removes what was staged and not committed (a restart discards it).
  public func discardStaged() {
    writers = [:]
    for handle in handles.values { try? handle.close() }
    handles = [:]
    try? FileManager.default.removeItem(at: stagingDirectory)
  }

  private func stagingName(_ partition: String) -> String {
    "\(checkpoint)-" + (partition.isEmpty ? "port" : partition.replacingOccurrences(of: "/", with: "%2F")) + ".tmp"
  }

  private func openWriter(_ partition: String) throws(FormatError) -> any BatchFileWriter {
    if let writer = writers[partition] { return writer }
    let path = stagingDirectory.appendingPathComponent(stagingName(partition))
    do {
      try FileManager.default.createDirectory(at: stagingDirectory, withIntermediateDirectories: true)
      guard FileManager.default.createFile(atPath: path.path, contents: nil) else {
        throw FormatError("cannot create \(path.path)")
      }
      handles[partition] = try FileHandle(forWritingTo: path)
    } catch let error as FormatError {
      throw error
    } catch {
      throw FormatError("opening \(path.path): \(error)")
    }
    let writer = try Self.writer(format, schema, records)
    writers[partition] = writer
    return writer
  }

  private func flush(_ writer: any BatchFileWriter, _ partition: String) throws(FormatError) {
    let bytes = writer.takeOutput()
    guard !bytes.isEmpty, let handle = handles[partition] else { return }
    do {
      try handle.write(contentsOf: bytes)
    } catch {
      throw FormatError("writing the staged file of \(partition.isEmpty ? "the port" : partition): \(error)")
    }
  }

  /// The batch's rows by partition directory (`day=2026-11-24`), in first-seen order.
  private func partitions(_ batch: RecordBatch) -> [(String, [Int32])] {
    guard let partitioning, partitioning.field < batch.columns.count else {
      return [("", batch.rows.map { Int32($0) })]
    }
    let column = batch.columns[partitioning.field]
    var order: [String] = []
    var rows: [String: [Int32]] = [:]
    for row in batch.rows {
      let key =
        "\(partitioning.transform == .identity ? partitioning.name : partitioning.transform.rawValue)="
        + Self.partitionValue(column, row, partitioning.transform)
      if rows[key] == nil { order.append(key) }
      rows[key, default: []].append(Int32(row))
    }
    return order.map { ($0, rows[$0] ?? []) }
  }

  static func partitionValue(_ column: Column, _ row: Int, _ transform: Partitioning.Transform) -> String {
    if column.isNull(row) { return "__null__" }
    var text: [UInt8] = []
    ValueText.append(column, row, to: &text)
    let value = String(decoding: text, as: UTF8.self)
    let length: Int? =
      switch transform {
      case .identity: nil
      case .year: 4
      case .month: 7
      case .day: 10
      case .hour: 13
      }
    guard let length else {
      // A value is one directory name: a slash or a leading dot would make it another.
      return value.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F")
        .replacingOccurrences(of: "\0", with: "%00")
    }
    return String(value.prefix(length))
  }

  static func syncDirectory(_ path: String) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
  }
}
