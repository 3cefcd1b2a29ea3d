import ArgumentParser
import MeshDriver

struct Compat: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check schema compatibility of output ports, or of two schema files."
  )

  func run() throws {
    // Lands with the schema work.
    throw ValidationError("'meshc compat' is not available yet")
  }
}
