import ArgumentParser
import MeshBench

struct BenchState: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "state",
    abstract: "Time a table aggregate's keyed state in RocksDB and in memory, checkpoints included.",
    discussion: "Build in release mode first: swift build -c release."
  )

  @Option(help: "Orders to aggregate.") var records = 10_000_000
  @Option(help: "Customers: the groups the state holds.") var keys = 1_000_000
  @Option(name: .customLong("checkpoint-every"), help: "Records between checkpoints.")
  var checkpointEvery = 1_000_000
  @Option(help: "Backend to time: rocksdb, memory or both.") var backend = "both"

  func run() throws {
    guard records > 0, keys > 0, checkpointEvery > 0 else {
      throw ValidationError("--records, --keys and --checkpoint-every must be positive")
    }
    guard ["rocksdb", "memory", "both"].contains(backend) else {
      throw ValidationError("--backend must be rocksdb, memory or both")
    }
    let backends = backend == "both" ? ["rocksdb", "memory"] : [backend]
    print(
      try Benchmarks.benchState(
        records: records, keys: keys, checkpointEvery: checkpointEvery, backends: backends
      ).text, terminator: "")
  }
}
