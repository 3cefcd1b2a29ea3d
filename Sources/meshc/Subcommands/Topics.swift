import ArgumentParser
import MeshDriver

/// `--data-dir`, shared by the log commands.
struct LogLocationOptions: ParsableArguments {
  @Option(
    name: .customLong("data-dir"),
    help:
      "The log's data directory (default: $MESHC_DATA_DIR, else .meshc in the mesh root, else in the current directory)."
  )
  var dataDirectory: String?

  func validate() throws {
    // An empty value used to mean the default silently; a script with an unset variable
    // must not write to another directory than it meant.
    if dataDirectory == "" {
      throw ValidationError("--data-dir needs a directory; leave the option out for the default")
    }
  }

  var context: LogCommandContext { LogCommandContext.current(dataDirectoryOption: dataDirectory) }
}

struct Topics: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List, create, describe, delete and repair topics of the embedded log.",
    discussion: "Exit status: 0 done, 1 errors found, 2 usage.",
    subcommands: [List.self, Create.self, Describe.self, Delete.self, Repair.self],
    defaultSubcommand: List.self
  )

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List topic partitions with their offsets and sizes.")
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      throw ExitCode(Int32(output.emit(MeshDriver.listTopics(location.context))))
    }
  }

  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a topic.")
    @Argument(help: "The topic's name: letters, digits, '.', '_' and '-'.") var name: String
    @Option(help: "Number of partitions (1 to 4096).") var partitions: Int?
    @Option(help: "How long records are kept, e.g. 7d, 12h, 30m, or 'infinite' (default 7d).") var retention: String?
    @Option(name: .customLong("retention-bytes"), help: "Size kept per partition, e.g. 10GiB, or 'infinite' (default).")
    var retentionBytes: String?
    @Option(help: "delete (retention removes old segments) or compact (the latest record per key is kept).")
    var cleanup: String?
    @Option(name: .customLong("segment-bytes"), help: "Segment file size before rolling (default 1GiB).")
    var segmentBytes: String?
    @Option(name: .customLong("segment-time"), help: "Segment age before rolling (default 7d).") var segmentTime:
      String?
    @Option(help: "When appends are acknowledged: batch (synced each time, default), interval or none.")
    var fsync: String?
    @Option(name: .customLong("fsync-interval"), help: "Sync interval with --fsync interval (default 1s).")
    var fsyncInterval: String?
    @Option(name: .customLong("tombstone-retention"), help: "How long compaction keeps tombstones (default 1d).")
    var tombstoneRetention: String?
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      let settings = TopicSettings(
        partitions: partitions, retention: retention, retentionBytes: retentionBytes, cleanup: cleanup,
        segmentBytes: segmentBytes, segmentTime: segmentTime, fsync: fsync, fsyncInterval: fsyncInterval,
        tombstoneRetention: tombstoneRetention)
      throw ExitCode(Int32(output.emit(MeshDriver.createTopic(name, settings: settings, location.context))))
    }
  }

  struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a topic's settings, partitions and consumer groups with their lag.")
    @Argument(help: "The topic.") var name: String
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      throw ExitCode(Int32(output.emit(MeshDriver.describeTopic(name, location.context))))
    }
  }

  struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a topic and all its records.")
    @Argument(help: "The topic.") var name: String
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      throw ExitCode(Int32(output.emit(MeshDriver.deleteTopic(name, location.context))))
    }
  }

  struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Accept the damage recovery found in a topic, so that it takes appends again.",
      discussion: """
        Rebuilds a damaged partition record from the segment files, and lets a partition whose \
        acknowledged last records are lost append again after them (their offsets are never \
        given out again, and readers still stop at them unless they --skip-damage).
        """)
    @Argument(help: "The topic.") var name: String
    @OptionGroup var location: LogLocationOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      throw ExitCode(Int32(output.emit(MeshDriver.repairTopic(name, location.context))))
    }
  }
}
