import ArgumentParser
import MeshDriver

struct Produce: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Append JSON lines from standard input to a topic."
  )

  func run() throws {
    // Lands with the log work.
    throw ValidationError("'meshc produce' is not available yet")
  }
}
