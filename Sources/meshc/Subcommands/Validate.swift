import ArgumentParser
import MeshDriver

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check every data product manifest under the paths.",
    discussion: "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or internal failure."
  )

  @Argument(help: "Files or directories to check (default: the current directory).")
  var paths: [String] = []

  @OptionGroup var output: OutputOptions

  func run() throws {
    let report = MeshDriver.validate(paths: paths.isEmpty ? ["."] : paths)
    throw ExitCode(Int32(output.emit(report)))
  }
}
