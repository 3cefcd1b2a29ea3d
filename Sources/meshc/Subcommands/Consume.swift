import ArgumentParser
import MeshDriver

struct Consume: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Read records of a topic as JSON lines."
  )

  func run() throws {
    // Lands with the log work.
    throw ValidationError("'meshc consume' is not available yet")
  }
}
