import ArgumentParser
import Foundation
import MeshBench
import MeshBytes
import MeshDriver

struct BenchLog: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "Benchmark the log's append and read throughput against plain file I/O, or soak it with kill -9.",
    subcommands: [Throughput.self, Soak.self, AppendChild.self],
    defaultSubcommand: Throughput.self
  )

  struct Throughput: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "throughput",
      abstract: "Append and read 100-byte records next to a buffered write and read of the same bytes.",
      discussion: "Build in release mode first: swift build -c release."
    )
    @Option(help: "Payload per run, e.g. 512MB, 10GB.") var bytes = "512MB"
    @Option(name: .customLong("record-bytes"), help: "Bytes per record.") var recordBytes = 100
    @Option(name: .customLong("batch-records"), help: "Records per append.") var batchRecords = 1000
    @Option(help: "Measured runs (after one warm-up).") var repeats = 5
    @Option(help: "Directory for the files (default: the system's temporary directory).") var dir: String?

    func run() throws {
      var options = BenchLogOptions()
      switch ByteCount.parse(bytes) {
      case .success(let value): options.bytes = value.value
      case .failure(let problem): throw ValidationError("invalid --bytes '\(bytes)': \(problem.message)")
      }
      guard recordBytes > 0, batchRecords > 0, repeats > 0 else {
        throw ValidationError("--record-bytes, --batch-records and --repeats must be positive")
      }
      options.recordBytes = recordBytes
      options.batchRecords = batchRecords
      options.repeats = repeats
      options.directory = dir
      print(try Benchmarks.benchLog(options).text)
    }
  }

  struct Soak: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Kill a child appender with SIGKILL many times and check the log after each recovery.")
    @Option(help: "How many times to kill the child.") var kills = 500
    @Option(help: "Seed of the records and kill times (default: random).") var seed: UInt64?
    @Option(name: .customLong("max-delay-ms"), help: "Longest wait after the child's first acknowledgement.")
    var maxDelay = 60
    @Option(name: .customLong("data-dir"), help: "Directory for the log (default: a fresh temporary one).")
    var dataDirectory: String?
    @Option(help: "The child's fsync policy: batch or interval (5 ms).") var fsync: CrashTestFsync = .batch

    func run() throws {
      let seed = seed ?? UInt64.random(in: 1...UInt64.max)
      let directory =
        dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("meshc-soak-\(seed)").path
      let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
      print("meshc bench log soak: \(kills) kills, fsync=\(fsync.rawValue), seed \(seed), log in \(directory)")
      let result = Benchmarks.logCrashTest(
        executable: executable, directory: directory, kills: kills, seed: seed, maxDelayMilliseconds: maxDelay,
        fsync: fsync
      ) { progress in
        if progress.kills % 50 == 0 {
          print("  \(progress.kills) kills, \(progress.recoveredRecords) records verified")
        }
      }
      print(
        "\(result.kills) kills, \(result.acknowledgedRecords) records acknowledged, "
          + "\(result.recoveredRecords) verified after the last recovery, \(result.failures.count) failures")
      for failure in result.failures { print("FAILURE (seed \(seed)): \(failure)") }
      if result.failures.isEmpty, dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) }
      throw ExitCode(result.failures.isEmpty ? 0 : 1)
    }
  }

  /// The child of the crash tests; not for people.
  struct AppendChild: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "append-child", abstract: "Append forever for the crash tests.", shouldDisplay: false)
    @Option(name: .customLong("data-dir")) var dataDirectory: String
    @Option var seed: UInt64
    @Option var fsync: CrashTestFsync = .batch

    func run() throws {
      throw ExitCode(Benchmarks.logAppendChild(directory: dataDirectory, seed: seed, fsync: fsync))
    }
  }
}

extension CrashTestFsync: ExpressibleByArgument {}
