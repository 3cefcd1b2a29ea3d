import ArgumentParser
import MeshDriver

struct Topics: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List, create and delete topics of the embedded log."
  )

  func run() throws {
    // Lands with the log work.
    throw ValidationError("'meshc topics' is not available yet")
  }
}
