import Foundation
import MeshDiagnostics
import MeshSchema

extension MeshDriver {
  /// `meshc compat --old A --new B [--mode M]`: can data and readers of `old` live with `new`?
  public static func compat(old: String, new: String, mode: CompatibilityMode, currentDirectory: URL? = nil) -> Report {
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let display = DisplayPath(currentDirectory: cwd)
    var report = Report()
    var schemas: [Schema] = []
    for path in [old, new] {
      let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : cwd.appendingPathComponent(path)
      guard let data = FileManager.default.contents(atPath: url.path) else {
        report.diagnostics.error(.pathNotFound, "cannot read schema file '\(path)'", at: nil)
        report.usageFailure = true
        continue
      }
      let file = SourceFile(path: display(url), bytes: [UInt8](data))
      report.sources.add(file)
      let (schema, diagnostics) = Schema.parse(file)
      report.diagnostics.append(contentsOf: diagnostics)
      if let schema { schemas.append(schema) }
    }
    guard schemas.count == 2 else { return report }
    let problems = CompatibilityChecker.check(new: schemas[1], earlier: [schemas[0]], mode: mode)
    for problem in problems {
      report.diagnostics.append(
        Diagnostic(
          problem.code, "\(problem.path): \(problem.message)", at: problem.newSchemaRange ?? schemas[1].range,
          help: problem.help))
    }
    report.summary = Self.compatSummary(breaking: problems.count, mode: mode)
    report.jsonFields = [
      ("compatible", problems.isEmpty ? "true" : "false"), ("mode", JSONWriter.quote(mode.rawValue)),
    ]
    return report
  }

  static func compatSummary(breaking: Int, mode: CompatibilityMode) -> String {
    breaking == 0
      ? "compatible under \(mode.rawValue)"
      : "\(breaking) breaking change\(breaking == 1 ? "" : "s") under \(mode.rawValue)"
  }
}
