import ArgumentParser
import MeshBench

struct BenchAvro: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "avro",
    abstract: "Write and read an orders table as Avro container files in each codec, next to fastavro.",
    discussion: "Build in release mode first: swift build -c release."
  )

  @Option(help: "Orders to write and read.") var records = 1_000_000
  @Option(help: "Measured runs.") var repeats = 3

  func run() throws {
    guard records > 0, repeats > 0 else { throw ValidationError("--records and --repeats must be positive") }
    print(try Benchmarks.benchAvro(records: records, repeats: repeats).text)
  }
}
