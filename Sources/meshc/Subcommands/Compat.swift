import ArgumentParser
import MeshDriver
import MeshSchema

extension CompatibilityMode: ExpressibleByArgument {}

struct Compat: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check schema compatibility of output ports against a git ref, or of two schema files.",
    discussion: """
      meshc compat --base origin/main [PATH…]: compare every output port's schema with the \
      same port's schema at the base ref (read from git, no checkout), under the port's \
      compatibility mode (default: the mesh's, else BACKWARD); _TRANSITIVE modes compare with \
      every earlier version in the history. Removing a port of a published product breaks.
      meshc compat --old A.avsc --new B.avsc [--mode M]: the same check on two files.
      Exit status: 0 compatible, 1 breaking change (or invalid schema), 2 usage.
      """
  )

  @Option(help: "The git ref to compare with (e.g. origin/main).") var base: String?
  @Option(help: "The earlier schema file.") var old: String?
  @Option(help: "The new schema file.") var new: String?
  @Option(
    help: "Compatibility mode for --old/--new: \(CompatibilityMode.allCases.map(\.rawValue).joined(separator: ", ")).")
  var mode: CompatibilityMode = .backward
  @Argument(help: "Manifests or directories to check with --base (default: the current directory).")
  var paths: [String] = []
  @OptionGroup var output: OutputOptions

  func validate() throws {
    switch (base, old, new) {
    case (_?, nil, nil): break
    case (nil, _?, _?):
      guard paths.isEmpty else { throw ValidationError("paths apply to --base, not to --old/--new") }
    default: throw ValidationError("give either --base REF, or both --old FILE and --new FILE")
    }
  }

  func run() throws {
    let report: Report
    if let base {
      report = MeshDriver.compat(base: base, paths: paths.isEmpty ? ["."] : paths)
    } else if let old, let new {
      report = MeshDriver.compat(old: old, new: new, mode: mode)
    } else {
      throw ValidationError("give either --base REF, or both --old FILE and --new FILE")
    }
    throw ExitCode(Int32(output.emit(report)))
  }
}
