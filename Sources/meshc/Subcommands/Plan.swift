import ArgumentParser
import MeshDriver

extension PlanFormat: ExpressibleByArgument {}

struct Plan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the compiled dataflow graph of products, with the schema on each edge.",
    discussion: """
      Targets are product ids (sales.orders) or files and directories of manifests; the \
      default is the whole mesh. Every check of 'meshc validate' runs first; findings go to \
      standard error and the plan, printed only without errors, to standard output. \
      dot renders with Graphviz (meshc plan --format dot | dot -Tsvg > mesh.svg); mermaid \
      pastes into Markdown; json is stable for tools.
      Exit status: 0 printed, 1 errors found, 2 usage (an unknown product or path).
      """
  )

  @Argument(help: "Product ids or paths (default: the whole mesh).")
  var targets: [String] = []

  @Option(help: "text, dot, mermaid or json.")
  var format: PlanFormat = .text

  func run() throws {
    let report = MeshDriver.plan(targets: targets, format: format)
    // The plan is the output; it ends with its own newline.
    var findings = report
    findings.summary = ""
    let status = emitReport(findings, as: .text)
    if !report.summary.isEmpty { print(report.summary, terminator: "") }
    throw ExitCode(Int32(status))
  }
}
