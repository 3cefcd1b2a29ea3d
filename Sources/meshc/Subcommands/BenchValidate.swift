import ArgumentParser
import MeshDriver

struct BenchValidate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Benchmark 'validate'."
  )

  func run() throws {
    // Lands with the manifest work.
    throw ValidationError("'meshc bench validate' is not available yet")
  }
}
