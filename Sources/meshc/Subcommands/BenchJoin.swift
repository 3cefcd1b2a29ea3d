import ArgumentParser
import MeshBench

struct BenchJoin: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "join",
    abstract: "Time the stream-table and stream-stream join operators on generated records, next to DuckDB.",
    discussion: "Build in release mode first: swift build -c release. scripts/bench-pipeline-peers.sh runs it too."
  )

  @Option(help: "Orders (the stream side) to generate.") var records = 10_000_000
  @Option(help: "Customers in the table of the stream-table join.") var keys = 1_000_000

  func run() throws {
    guard records > 0, keys > 0 else { throw ValidationError("--records and --keys must be positive") }
    print(try Benchmarks.benchJoin(records: records, keys: keys).text, terminator: "")
  }
}
