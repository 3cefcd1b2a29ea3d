import Foundation
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema

/// The data file formats `meshc cat` and `meshc schema` read, told by contents first
/// (Avro containers start with `Obj\u{1}`, Parquet files with `PAR1`), then by extension.
enum DataFileFormat: String {
  case avro, parquet

  static func of(_ bytes: [UInt8], path: String) -> DataFileFormat? {
    if bytes.starts(with: [0x4F, 0x62, 0x6A, 0x01]) { return .avro }
    if bytes.starts(with: Array("PAR1".utf8)) { return .parquet }
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "avro": return .avro
    case "parquet": return .parquet
    default: return nil
    }
  }
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
      guard remaining > 0, let reader = openAvro(path, into: &report) else { continue }
      let printer = BatchJSON(avro: reader.writerSchema)
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

  /// `meshc schema FILE`: the file's schema as Avro JSON, in the summary.
  public static func schema(path: String) -> Report {
    var report = Report()
    guard let reader = openAvro(path, into: &report) else { return report }
    report.summary = reader.writerSchema.jsonText + "\n"
    return report
  }

  private static func openAvro(_ path: String, into report: inout Report) -> AvroContainerReader? {
    guard let data = FileManager.default.contents(atPath: path) else {
      let missing = !FileManager.default.fileExists(atPath: path)
      report.diagnostics.append(
        Diagnostic(missing ? .pathNotFound : .fileUnreadable, "\(path): cannot be read", at: nil))
      report.usageFailure = missing
      return nil
    }
    let bytes = Array(data)
    switch DataFileFormat.of(bytes, path: path) {
    case .avro:
      do {
        return try AvroContainerReader(bytes: bytes)
      } catch {
        report.diagnostics.append(Diagnostic(.damagedDataFile, "\(path): \(error)", at: nil))
      }
    case .parquet:
      report.diagnostics.append(
        Diagnostic(
          .unknownFileFormat, "\(path): Parquet files are not read yet", at: nil,
          help: "meshc reads Avro container files today; Parquet support is in progress"))
    case nil:
      report.diagnostics.append(
        Diagnostic(
          .unknownFileFormat, "\(path): not an Avro container or Parquet file", at: nil,
          help: "name the file .avro or .parquet, or check that it is not damaged"))
    }
    return nil
  }
}
