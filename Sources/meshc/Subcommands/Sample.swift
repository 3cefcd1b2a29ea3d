import ArgumentParser
import MeshDriver

struct Sample: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write deterministic input data for the example mesh.",
    discussion: """
      Writes orders (CSV), stock counts (JSON Lines) and customer profile changes (Avro) \
      where the example products' inputs look, three days of each; the same options always \
      write the same bytes. Then 'meshc run --once' runs the mesh over them.
      Exit status: 0 written, 1 errors found, 2 usage.
      """
  )

  @Option(help: "Orders to write in all.") var orders = 300

  func run() throws {
    let report = MeshDriver.sample(orders: orders)
    var findings = report
    findings.summary = ""
    let status = emitReport(findings, as: .text)
    if !report.summary.isEmpty { print(report.summary, terminator: "") }
    throw ExitCode(Int32(status))
  }
}
