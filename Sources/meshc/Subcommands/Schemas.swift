import ArgumentParser
import MeshDriver
import MeshSchema

struct Schemas: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Register and inspect schemas in the embedded schema registry.",
    discussion: "Exit status: 0 done, 1 errors found (e.g. an incompatible schema), 2 usage.",
    subcommands: [Register.self, List.self, Show.self, Compatibility.self],
    defaultSubcommand: List.self
  )

  struct Register: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Register a schema under a subject, checked against the subject's compatibility mode.")
    @Argument(help: "The subject, e.g. orders-value.") var subject: String
    @Argument(help: "The .avsc file.") var file: String
    @Option(help: "Set the subject's compatibility mode first.") var compatibility: CompatibilityMode?
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      let report = MeshDriver.registerSchema(
        location.context, subject: subject, file: file, compatibility: compatibility)
      throw ExitCode(Int32(output.emit(report)))
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List subjects with their versions and modes.")
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      throw ExitCode(Int32(output.emit(MeshDriver.listSubjects(location.context))))
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print one version of a subject's schema.")
    @Argument(help: "The subject.") var subject: String
    @Option(help: "The version (default: the latest).") var version: Int?
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      throw ExitCode(Int32(output.emit(MeshDriver.showSchema(location.context, subject: subject, version: version))))
    }
  }

  struct Compatibility: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Set a subject's compatibility mode.")
    @Argument(help: "The subject.") var subject: String
    @Argument(help: "NONE, BACKWARD, FORWARD, FULL or a _TRANSITIVE form.") var mode: CompatibilityMode
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      let report = MeshDriver.setSubjectCompatibility(location.context, subject: subject, mode: mode)
      throw ExitCode(Int32(output.emit(report)))
    }
  }
}
