import ArgumentParser
import MeshBench

struct BenchPipeline: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeline",
    abstract: "Run a filter, a derived field and hourly sums per country over generated CSV orders, next to DuckDB.",
    discussion: "Build in release mode first: swift build -c release. scripts/bench-pipeline-peers.sh does both."
  )

  @Option(help: "Orders to generate.") var records = 1_000_000

  func run() throws {
    guard records > 0 else { throw ValidationError("--records must be positive") }
    print(try Benchmarks.benchPipeline(records: records).text, terminator: "")
  }
}
