import ArgumentParser

@main
struct Meshc: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "meshc",
    abstract: "Compile, check and run the data products of an event-driven data mesh.",
    version: "0.1.0",
    subcommands: [
      Validate.self, Compat.self, Topics.self, Produce.self, Consume.self, Bench.self,
    ]
  )
}
