import ArgumentParser
import MeshDriver

struct BenchCompat: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compat",
    abstract: "Benchmark 'compat'."
  )

  func run() throws {
    // Lands with the schema work.
    throw ValidationError("'meshc bench compat' is not available yet")
  }
}
