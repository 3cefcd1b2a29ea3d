import ArgumentParser
import Foundation
import MeshBytes
import MeshDriver

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run data products over their input files, exactly once.",
    discussion: """
      Targets are product ids (inventory.stock) or files and directories of manifests; the \
      default is the whole mesh. Every check of 'meshc validate' runs first. With --once, \
      each product reads the input files there are now, writes its stream ports to topics \
      (<domain>.<product>.<port>) and its batch ports to files, and commits each file by a \
      checkpoint in <data-dir>/products/<product>/; records that do not fit go to \
      <domain>.<product>.dead-letter. A run that is killed resumes from its last \
      checkpoint. Runs filters, selects, dedupes and quality rules; product inputs read \
      upstream topics as committed; tumbling, hopping and session windows aggregate, and \
      aggregates without a window keep tables; stream-table, stream-stream and \
      table-table joins and unions run. On a terminal, a progress line on standard error \
      (MESHC_PROGRESS=1 draws it elsewhere too).
      Exit status: 0 done, 1 errors found or a run failed, 2 usage.
      """
  )

  @Argument(help: "Product ids or paths (default: the whole mesh).")
  var targets: [String] = []

  @Flag(help: "Process the input files there are now, commit, and exit (else follow until SIGINT or SIGTERM).")
  var once = false

  @Flag(
    name: .customLong("skip-damage"),
    help: "Read upstream topics past damaged batches and lost records, with a warning each, instead of failing.")
  var skipDamage = false

  @Option(
    name: .customLong("state-memory"),
    help: ArgumentHelp(
      "Keyed state each step holds in memory before it moves to RocksDB in the data directory.",
      valueName: "size"))
  var stateMemory = "64MiB"

  @OptionGroup var location: LogLocationOptions

  @OptionGroup var output: OutputOptions

  func run() throws {
    let budget: Int64
    switch ByteCount.parse(stateMemory) {
    case .success(let value): budget = value.value
    case .failure(let problem): throw ValidationError("invalid --state-memory '\(stateMemory)': \(problem.message)")
    }
    // On a terminal (or when MESHC_PROGRESS=1 asks, as in a CI log), a progress line.
    let progress =
      output.format == .text
      && (isatty(STDERR_FILENO) != 0 || ProcessInfo.processInfo.environment["MESHC_PROGRESS"] == "1")
    let report = MeshDriver.run(
      targets: targets, context: location.context, once: once, progress: progress, skipDamage: skipDamage,
      stateMemory: Int(clamping: budget))
    guard output.format == .text else { throw ExitCode(Int32(output.emit(report))) }
    var findings = report
    findings.summary = ""
    let status = emitReport(findings, as: .text)
    if !report.summary.isEmpty { print(report.summary, terminator: "") }
    throw ExitCode(Int32(status))
  }
}
