import Foundation
import MeshDiagnostics
import MeshLog
import MeshSchema

extension MeshDriver {
  /// `meshc schemas register SUBJECT FILE`: registers a schema under the subject's mode.
  public static func registerSchema(
    _ context: LogCommandContext, subject: String, file: String, compatibility: CompatibilityMode?
  ) -> Report {
    var report = context.report()
    let url =
      file.hasPrefix("/")
      ? URL(fileURLWithPath: file)
      : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(file)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      report.usage(
        .pathNotFound, "cannot read schema file '\(file)'", at: context.commandLine.range(ofPositional: file))
      return report
    }
    report.sources.add(SourceFile(path: file, bytes: [UInt8](data)))
    withRegistry(context, &report) { registry throws(RegistryError) -> Outcome in
      if let compatibility { try registry.setCompatibility(compatibility, for: subject) }
      switch try registry.register([UInt8](data), path: file, subject: subject) {
      case .registered(let id, let version):
        return Outcome(
          "registered '\(file)' as version \(version) of '\(subject)' with id \(id)",
          [("id", "\(id)"), ("version", "\(version)"), ("new", "true")])
      case .existing(let id, let version):
        return Outcome(
          "'\(file)' is already version \(version) of '\(subject)' (id \(id))",
          [("id", "\(id)"), ("version", "\(version)"), ("new", "false")])
      }
    }
    return report
  }

  /// `meshc schemas list`: every subject with its versions, latest id and mode.
  public static func listSubjects(_ context: LogCommandContext) -> Report {
    var report = context.report()
    withRegistry(context, &report) { registry throws(RegistryError) -> Outcome in
      var table = TextTable(header: ["SUBJECT", "VERSIONS", "LATEST ID", "COMPATIBILITY"], numeric: [1, 2])
      var json: [String] = []
      var problems: [RegistryError] = []
      for subject in try registry.subjects() {
        // A damaged subject file is reported; the other subjects are still listed.
        let ids: [Int]
        let mode: CompatibilityMode
        do throws(RegistryError) {
          ids = try registry.versions(of: subject)
          mode = try registry.compatibility(of: subject)
        } catch {
          problems.append(error)
          continue
        }
        table.rows.append([subject, String(ids.count), ids.last.map(String.init) ?? "-", mode.rawValue])
        json.append(
          "{\"subject\":\(JSONWriter.quote(subject)),\"ids\":[\(ids.map(String.init).joined(separator: ","))],"
            + "\"compatibility\":\(JSONWriter.quote(mode.rawValue))}")
      }
      return Outcome(
        table.rows.isEmpty ? "no subjects in \(registry.directory)" : table.render(),
        [("subjects", "[" + json.joined(separator: ",") + "]")], problems: problems)
    }
    return report
  }

  /// `meshc schemas show SUBJECT [--version N]`: one version's schema text.
  public static func showSchema(_ context: LogCommandContext, subject: String, version: Int?) -> Report {
    var report = context.report()
    withRegistry(context, &report) { registry throws(RegistryError) -> Outcome in
      let found = try registry.schema(subject: subject, version: version)
      let text = String(decoding: try registry.schema(id: found.id).text, as: UTF8.self)
      return Outcome(
        "# \(subject) version \(found.version), id \(found.id), fingerprint "
          + String(found.schema.fingerprint, radix: 16) + "\n" + text.trimmingCharacters(in: .newlines),
        [
          ("id", "\(found.id)"), ("version", "\(found.version)"), ("schema", JSONWriter.quote(text)),
          ("canonicalForm", JSONWriter.quote(found.schema.canonicalForm)),
        ])
    }
    return report
  }

  /// `meshc schemas compatibility SUBJECT MODE`.
  public static func setSubjectCompatibility(
    _ context: LogCommandContext, subject: String, mode: CompatibilityMode
  )
    -> Report
  {
    var report = context.report()
    withRegistry(context, &report) { registry throws(RegistryError) -> Outcome in
      try registry.setCompatibility(mode, for: subject)
      return Outcome("compatibility of '\(subject)' is \(mode.rawValue)", [])
    }
    return report
  }

  /// What a registry command prints: its summary and its extra JSON fields.
  private struct Outcome {
    var summary: String
    var jsonFields: [(String, String)]
    /// Problems that did not stop the command (a damaged subject among good ones).
    var problems: [RegistryError]

    init(_ summary: String, _ jsonFields: [(String, String)], problems: [RegistryError] = []) {
      self.summary = summary
      self.jsonFields = jsonFields
      self.problems = problems
    }
  }

  private static func withRegistry(
    _ context: LogCommandContext, _ report: inout Report, _ body: (SchemaRegistry) throws(RegistryError) -> Outcome
  ) {
    do {
      let log = try Log.open(directory: context.dataDirectory, writable: true, io: context.io, clock: context.clock)
      let outcome = try body(SchemaRegistry(log: log))
      report.summary = outcome.summary
      report.jsonFields = outcome.jsonFields
      for problem in outcome.problems { report.add(problem, context: context) }
    } catch let error as LogError {
      report.add(error)
    } catch let error as RegistryError {
      report.add(error, context: context)
    } catch {
      report.diagnostics.error(.logIOFailure, "\(error)", at: nil)
    }
  }
}

extension Report {
  mutating func add(_ error: RegistryError, context: LogCommandContext) {
    switch error {
    case .invalidSubject(let subject, let reason):
      usage(
        .invalidLogName, "invalid subject '\(subject)': \(reason)", at: context.commandLine.range(ofPositional: subject)
      )
    case .invalidSchema(let found):
      diagnostics.append(contentsOf: found)
    case .incompatible(let subject, let mode, let problems):
      for problem in problems {
        diagnostics.append(
          Diagnostic(
            problem.code, "'\(subject)' is \(mode.rawValue): \(problem.path): \(problem.message)",
            at: problem.newSchemaRange, help: problem.help))
      }
    case .unknownSubject(let subject, let known):
      diagnostics.error(
        .unknownSubject, "unknown subject '\(subject)'", at: context.commandLine.range(ofPositional: subject),
        help: Suggestion.didYouMean(subject, among: known)
          ?? "register a schema with 'meshc schemas register \(subject) FILE'")
    case .unknownVersion(let subject, let version, let latest):
      diagnostics.error(
        .unknownSchemaVersion, "subject '\(subject)' has no version \(version) (it has 1 to \(latest))",
        at: context.commandLine.range(ofOption: "--version"))
    case .unknownID(let id):
      diagnostics.error(.unknownSchemaVersion, "no schema has id \(id)", at: nil)
    case .damaged(let path, let reason):
      diagnostics.error(.damagedLogData, "damaged schema registry file '\(path)': \(reason)", at: nil)
    case .busy(let path):
      diagnostics.error(
        .registryBusy, "another process is registering a schema in '\(path)'", at: nil, help: "try again")
    case .io(let error):
      diagnostics.error(.logIOFailure, "\(error)", at: nil)
    }
  }
}
