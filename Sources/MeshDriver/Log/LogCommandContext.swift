import Foundation
import MeshDiagnostics
import MeshLog

/// What every log command needs besides its own options: where the data directory is,
/// the command line (to point diagnostics at arguments), and the file system and clock
/// (real ones in the CLI, simulated ones in tests).
public struct LogCommandContext: Sendable {
  public var dataDirectory: String
  public var commandLine: CommandLineSource
  public var io: any FileIO
  public var clock: any LogClock
  /// The settings of topics created without explicit ones (the mesh's default retention
  /// applied to meshc's defaults).
  public var topicDefaults: TopicConfig

  public init(
    dataDirectory: String, commandLine: CommandLineSource = CommandLineSource([]), io: any FileIO = POSIXFileIO(),
    clock: any LogClock = SystemClock(), topicDefaults: TopicConfig = TopicConfig()
  ) {
    self.dataDirectory = dataDirectory
    self.commandLine = commandLine
    self.io = io
    self.clock = clock
    self.topicDefaults = topicDefaults
  }

  /// The context of this process: `--data-dir` (if given), the environment, the working
  /// directory and the arguments after the program name.
  public static func current(
    dataDirectoryOption: String?, arguments: [String] = Array(CommandLine.arguments.dropFirst())
  )
    -> LogCommandContext
  {
    let settings = DataDirectory.meshSettings(workingDirectory: FileManager.default.currentDirectoryPath)
    var defaults = TopicConfig()
    if let retention = settings.retention { defaults.retention = retention }
    return LogCommandContext(
      dataDirectory: DataDirectory.resolve(option: dataDirectoryOption), commandLine: CommandLineSource(arguments),
      topicDefaults: defaults)
  }

  /// A report that can quote the command line.
  func report() -> Report {
    var report = Report()
    report.sources.add(commandLine.file)
    return report
  }
}

extension Report {
  /// Adds a log error as a diagnostic at `range`.
  mutating func add(_ error: LogError, at range: SourceRange? = nil) {
    diagnostics.append(error.diagnostic(at: range))
  }

  /// Marks the report as a usage failure (exit status 2) with one error.
  mutating func usage(_ code: DiagnosticCode, _ message: String, at range: SourceRange?, help: String? = nil) {
    diagnostics.error(code, message, at: range, help: help)
    usageFailure = true
  }
}
