import ArgumentParser
import MeshDiagnostics
import MeshDriver

#if canImport(Glibc)
  import Glibc
#endif

struct Consume: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Read records of a topic as JSON lines.",
    discussion: """
      Prints {"topic","partition","offset","timestamp","key","value","headers"} per record. Without \
      --from-beginning, --offset, --from-time or a group's committed offsets, reading starts at the \
      end (only new records), as with Kafka's console consumer. Diagnostics go to standard error. \
      Exit status: 0 done, 1 errors found, 2 usage.
      """
  )

  @Argument(help: "The topic to read.") var topic: String
  @Flag(name: .customLong("from-beginning"), help: "Start at the earliest record still in the log.")
  var fromBeginning = false
  @Option(help: "Start at this offset (a number, 'earliest' or 'latest'); needs --partition for several partitions.")
  var offset: String?
  @Option(
    name: .customLong("from-time"), help: "Start at the first record at or after this time (ISO-8601 or epoch ms).")
  var fromTime: String?
  @Option(help: "Consumer group: resume from and commit its offsets.") var group: String?
  @Option(help: "Stop after this many records.") var max: Int?
  @Flag(help: "Keep waiting for new records (Ctrl-C stops, committing the group's offsets).") var follow = false
  @Flag(
    name: .customLong("read-uncommitted"),
    help: "Of a product's topic, print also records no run of the product committed (in progress or crashed).")
  var readUncommitted = false
  @Option(help: "Read only this partition.") var partition: Int?
  @Flag(
    name: .customLong("skip-damage"),
    help: "Step over damaged batches and lost records, with a warning each, instead of stopping at them.")
  var skipDamage = false
  @OptionGroup var location: LogLocationOptions
  @OptionGroup var output: OutputOptions

  func run() throws {
    let options = ConsumeOptions(
      fromBeginning: fromBeginning, offset: offset, fromTime: fromTime, group: group, max: max, follow: follow,
      partition: partition, readUncommitted: readUncommitted, skipDamage: skipDamage)
    let report = MeshDriver.consume(topic: topic, options: options, location.context) { bytes in
      defer { bytes.removeAll(keepingCapacity: true) }
      return writeAll(bytes, to: STDOUT_FILENO)
    }
    // Standard output carries the records; every finding goes to standard error.
    let diagnostics = report.diagnostics.sorted()
    switch output.format {
    case .text:
      writeStandardError(TextRenderer(colored: isatty(STDERR_FILENO) == 1).render(diagnostics, sources: report.sources))
      if !report.summary.isEmpty { writeStandardError("note: \(report.summary)\n") }
    case .json:
      writeStandardError(JSONRenderer().render(diagnostics, extra: report.jsonFields))
    case .github:
      writeStandardError(GitHubRenderer().render(diagnostics))
    }
    throw ExitCode(Int32(report.exitStatus))
  }
}

/// Writes all of `bytes`; false once the reader of the descriptor has gone.
func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
  var written = 0
  while written < bytes.count {
    let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    if result < 0, errno == EINTR { continue }
    if result <= 0 { return false }
    written += result
  }
  return true
}
