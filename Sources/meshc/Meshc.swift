import ArgumentParser
import Foundation

@main
struct Meshc: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "meshc",
    abstract: "Compile, check and run the data products of an event-driven data mesh.",
    discussion: "'meshc --version' prints the version.",
    subcommands: [
      Validate.self, Compat.self, Topics.self, Produce.self, Consume.self, Schemas.self, Bench.self,
    ]
  )

  /// Not the configuration's `version`: ArgumentParser would then add a `--version` flag
  /// to every subcommand, listed twice beside `schemas show --version N`; nor a flag of
  /// this command, whose options ArgumentParser also reads after a subcommand's name.
  static let version = "0.1.0"

  /// The CLI contract gives usage errors exit status 2; ArgumentParser's own is 64.
  static func main() {
    if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
      print(version)
      return
    }
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
