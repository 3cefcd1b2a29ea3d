import ArgumentParser
import Foundation

@main
struct Meshc: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "meshc",
    abstract: "Compile, check and run the data products of an event-driven data mesh.",
    discussion: "'meshc --version' prints the version.",
    subcommands: [
      Validate.self, Plan.self, Compat.self, Topics.self, Produce.self, Consume.self, Schemas.self, Cat.self,
      SchemaOfFile.self, Run.self, Sample.self, Bench.self,
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
    // `-dash` would otherwise read as the short flags -d -a -s -h and print help with
    // exit 0; meshc has no short options but -h, so such a word is a mistake.
    let words = CommandLine.arguments.dropFirst().prefix { $0 != "--" }
    if let word = words.first(where: { $0.count > 2 && $0.hasPrefix("-") && !$0.hasPrefix("--") && Int($0) == nil }) {
      writeStandardError("Error: unknown option '\(word)' (options are spelled --name; write -- \(word) for a value)\n")
      Foundation.exit(2)
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
