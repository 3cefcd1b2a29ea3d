import ArgumentParser
import Foundation

@main
struct Meshc: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "meshc",
    abstract: "Compile, check and run the data products of an event-driven data mesh.",
    version: "0.1.0",
    subcommands: [
      Validate.self, Compat.self, Topics.self, Produce.self, Consume.self, Schemas.self, Bench.self,
    ]
  )

  /// The CLI contract gives usage errors exit status 2; ArgumentParser's own is 64.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        writeStandardError(fullMessage(for: error) + "\n")
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}
