import ArgumentParser
import MeshDiagnostics
import MeshDriver

#if canImport(Glibc)
  import Glibc
#endif

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, github
}

/// `--format` and the rendering every command that reports findings shares.
struct OutputOptions: ParsableArguments {
  @Option(help: "How to print findings: text, json or github.")
  var format: OutputFormat = .text

  /// Prints the report and returns the exit status the CLI contract gives it.
  func emit(_ report: Report) -> Int { emitReport(report, as: format) }
}

/// Prints a report's findings (and summary) in `format`; returns the exit status.
func emitReport(_ report: Report, as format: OutputFormat) -> Int {
  let diagnostics = report.diagnostics.sorted()
  switch format {
  case .text:
    let colored = isatty(STDERR_FILENO) == 1
    let text = TextRenderer(colored: colored).render(diagnostics, sources: report.sources)
    writeStandardError(text)
    let counts = TextRenderer.summary(
      errors: report.diagnostics.errorCount, warnings: report.diagnostics.warningCount)
    // Counts go with the findings on standard error, so standard output carries only
    // the command's result (a table, a summary) for scripts to read.
    if !report.summary.isEmpty, !report.usageFailure { print(report.summary) }
    if !diagnostics.isEmpty { writeStandardError(counts + "\n") }
  case .json:
    print(JSONRenderer().render(diagnostics, extra: report.jsonFields), terminator: "")
  case .github:
    print(GitHubRenderer().render(diagnostics), terminator: "")
    if !report.summary.isEmpty { print(report.summary) }
  }
  return report.exitStatus
}

func writeStandardError(_ text: String) {
  let bytes = Array(text.utf8)
  var written = 0
  while written < bytes.count {
    let result = bytes[written...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    if result <= 0 { return }
    written += result
  }
}
