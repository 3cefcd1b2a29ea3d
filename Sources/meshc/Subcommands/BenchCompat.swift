import ArgumentParser
import MeshBench
import MeshDriver

struct BenchCompat: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compat",
    abstract: "Decide generated schema pairs under FULL, next to parsing the same pairs.",
    discussion: "Build in release mode first: swift build -c release."
  )

  @Option(help: "Schema pairs per run.") var pairs = 2000
  @Option(help: "Fields per schema.") var fields = 50
  @Option(help: "Measured runs (after one warm-up).") var repeats = 5

  func run() throws {
    guard pairs > 0, fields >= 2, repeats > 0 else {
      throw ValidationError("--pairs and --repeats must be positive, --fields at least 2")
    }
    print(Benchmarks.benchCompat(pairs: pairs, fields: fields, repeats: repeats).text)
  }
}
