import ArgumentParser
import MeshDriver

struct BenchLog: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "Benchmark 'log'."
  )

  func run() throws {
    // Lands with the log work.
    throw ValidationError("'meshc bench log' is not available yet")
  }
}
