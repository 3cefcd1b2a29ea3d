import ArgumentParser
import MeshBench

struct BenchExpr: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "expr",
    abstract: "Time a compiled filter and five derived fields, next to a hand-written Swift loop.",
    discussion: "Build in release mode first: swift build -c release."
  )

  @Option(help: "Records to process.") var records = 10_000_000
  @Option(help: "Measured runs (after one warm-up).") var repeats = 5

  func run() throws {
    guard records > 0, repeats > 0 else { throw ValidationError("--records and --repeats must be positive") }
    print(try Benchmarks.benchExpr(records: records, repeats: repeats).text)
  }
}
