import Foundation
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema

/// The data file formats `meshc cat` and `meshc schema` read, told by contents first
/// (Avro containers start with `Obj\u{1}`, Parquet files with `PAR1`), then by extension.
enum DataFileFormat: Equatable {
  case avro, parquet, jsonLines
  case csv(delimiter: UInt8)

  static func of(_ bytes: [UInt8], path: String) -> DataFileFormat? {
    if bytes.starts(with: [0x4F, 0x62, 0x6A, 0x01]) { return .avro }
    if bytes.starts(with: Array("PAR1".utf8)) { return .parquet }
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "avro": return .avro
    case "parquet": return .parquet
    case "csv": return .csv(delimiter: UInt8(ascii: ","))
    case "tsv": return .csv(delimiter: UInt8(ascii: "\t"))
    case "jsonl", "ndjson": return .jsonLines
    default: return nil
    }
  }
}

/// A file opened for `meshc cat`: records in batches (Avro, Parquet), or text read
/// without a schema (CSV, JSON Lines).
enum OpenedDataFile {
  case batches(any BatchFileReader)
  case text([UInt8], DataFileFormat)
}

extension MeshDriver {
  /// `meshc cat FILE…`: every record of each file as a JSON line (`BatchJSON`'s mapping),
  /// at most `limit` in all, through `output`, which returns false once its reader has gone.
  public static func cat(paths: [String], limit: Int?, output: (inout [UInt8]) -> Bool) -> Report {
    var report = Report()
    var remaining = limit ?? Int.max
    if let limit, limit < 1 {
      report.diagnostics.append(
        Diagnostic(.conflictingOptions, "invalid --limit \(limit): expected at least 1", at: nil))
      report.usageFailure = true
      return report
    }
    files: for path in paths {
      guard remaining > 0, let opened = open(path, into: &report) else { continue }
      guard case .batches(let reader) = opened else {
        if case .text(let bytes, let format) = opened,
          !catText(bytes, format, path: path, remaining: &remaining, into: &report, output: output)
        {
          break files
        }
        continue
      }
      let printer = BatchJSON(avro: reader.avroSchema)
      do {
        while remaining > 0, var batch = try reader.nextBatch() {
          if batch.count > remaining { batch.selection = batch.rows.prefix(remaining).map { Int32($0) } }
          remaining -= batch.count
          var out: [UInt8] = []
          printer.append(batch, to: &out)
          if !output(&out) { break files }
        }
      } catch {
        report.diagnostics.append(Diagnostic(.damagedDataFile, "\(path): \(error)", at: nil))
      }
    }
    return report
  }

  /// `meshc schema FILE`: the file's schema as Avro JSON, in the summary; with
  /// `parquet`, a Parquet file's own schema and its row groups instead.
  public static func schema(path: String, parquet: Bool = false) -> Report {
    var report = Report()
    guard let opened = open(path, into: &report) else { return report }
    guard case .batches(let reader) = opened else {
      report.diagnostics.append(
        Diagnostic(
          .unknownFileFormat, "\(path): a CSV or JSON Lines file carries no schema", at: nil,
          help: "meshc schema reads Parquet and Avro files; a product's input declares its CSV's schema"))
      return report
    }
    guard parquet else {
      report.summary = reader.avroSchema.jsonText + "\n"
      return report
    }
    guard let parquetReader = reader as? ParquetReader else {
      report.diagnostics.append(
        Diagnostic(
          .unknownFileFormat, "\(path): --parquet needs a Parquet file, and this is an Avro container", at: nil))
      report.usageFailure = true
      return report
    }
    report.summary = ParquetSummary.text(parquetReader.metadata, parquetReader.parquetSchema)
    return report
  }

  private static func open(_ path: String, into report: inout Report) -> OpenedDataFile? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
      let handle = FileHandle(forReadingAtPath: path)
    else {
      let missing = !FileManager.default.fileExists(atPath: path)
      report.diagnostics.append(
        Diagnostic(missing ? .pathNotFound : .fileUnreadable, "\(path): cannot be read", at: nil))
      report.usageFailure = missing
      return nil
    }
    let head = (try? handle.read(upToCount: 4)) ?? Data()
    try? handle.close()
    do {
      switch DataFileFormat.of(Array(head), path: path) {
      case .avro:
        guard let data = FileManager.default.contents(atPath: path) else { throw FormatError("cannot be read") }
        return .batches(try AvroContainerReader(bytes: Array(data)))
      case .parquet:
        return .batches(try ParquetReader(source: try ParquetFile(path: path)))
      case let format?:
        guard let data = FileManager.default.contents(atPath: path) else { throw FormatError("cannot be read") }
        return .text(Array(data), format)
      case nil:
        break
      }
    } catch {
      report.diagnostics.append(Diagnostic(.damagedDataFile, "\(path): \(error)", at: nil))
      return nil
    }
    report.diagnostics.append(
      Diagnostic(
        .unknownFileFormat, "\(path): not an Avro container or Parquet file", at: nil,
        help: "name the file .avro or .parquet, or check that it is not damaged"))
    return nil
  }
}
