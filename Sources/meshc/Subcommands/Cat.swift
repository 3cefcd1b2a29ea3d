import ArgumentParser
import MeshDiagnostics
import MeshDriver

#if canImport(Glibc)
  import Glibc
#endif

struct Cat: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the records of data files as JSON lines.",
    discussion: """
      Reads Parquet files and Avro container files. Values follow one JSON mapping: \
      timestamps as ISO-8601, decimals as strings, bytes as base64 (docs/formats.md). \
      Records go to standard output, findings to standard error.
      Exit status: 0 printed, 1 a file is damaged or in an unknown format, 2 usage.
      """
  )

  @Argument(help: "Data files.")
  var files: [String]

  @Option(help: "Print at most this many records in all.")
  var limit: Int?

  func run() throws {
    let report = MeshDriver.cat(paths: files, limit: limit) { bytes in
      defer { bytes.removeAll(keepingCapacity: true) }
      return writeAll(bytes, to: STDOUT_FILENO)
    }
    writeStandardError(
      TextRenderer(colored: isatty(STDERR_FILENO) == 1).render(report.diagnostics.sorted(), sources: report.sources))
    throw ExitCode(Int32(report.exitStatus))
  }
}

struct SchemaOfFile: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Print a data file's schema as Avro JSON.",
    discussion: """
      Reads the writer's schema from an Avro container file's header, or a Parquet file's \
      footer (its embedded Avro schema when it has one, else one derived from its columns). \
      With --parquet, prints a Parquet file's own schema and its row groups.
      Exit status: 0 printed, 1 the file is damaged or in an unknown format, 2 usage.
      """
  )

  @Argument(help: "A data file.")
  var file: String

  @Flag(help: "Print the Parquet schema and the row groups' column chunks instead.")
  var parquet = false

  func run() throws {
    let report = MeshDriver.schema(path: file, parquet: parquet)
    var findings = report
    findings.summary = ""
    let status = emitReport(findings, as: .text)
    if !report.summary.isEmpty { print(report.summary, terminator: "") }
    throw ExitCode(Int32(status))
  }
}
