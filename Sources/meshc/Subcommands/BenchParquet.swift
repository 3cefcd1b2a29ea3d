import ArgumentParser
import Foundation
import MeshBench

struct BenchParquet: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parquet",
    abstract: "Write and read an orders table as Parquet in snappy and zstd, next to pyarrow.",
    discussion: """
      Build in release mode first: swift build -c release. With --gigabytes, writes a file \
      of that size to --path instead (orders made batch by batch) and reads it back, \
      printing the peak resident memory of each half.
      """
  )

  @Option(help: "Orders to write and read.") var records = 1_000_000
  @Option(help: "Measured runs.") var repeats = 3
  @Option(help: "Write and read a file of this many gigabytes instead.") var gigabytes: Double?
  @Option(help: "Where the large file goes (removed afterwards).") var path = "meshc-bench-large.parquet"

  func run() throws {
    guard records > 0, repeats > 0 else { throw ValidationError("--records and --repeats must be positive") }
    if let gigabytes {
      guard gigabytes > 0 else { throw ValidationError("--gigabytes must be positive") }
      print(try Benchmarks.benchParquetLarge(gigabytes: gigabytes, path: path).text)
      return
    }
    print(try Benchmarks.benchParquet(records: records, repeats: repeats).text)
  }
}
