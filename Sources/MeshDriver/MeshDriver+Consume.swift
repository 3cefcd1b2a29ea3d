import Foundation
import MeshBytes
import MeshDiagnostics
import MeshLog
import MeshRuntime

/// Options of `meshc consume`.
public struct ConsumeOptions: Sendable {
  public var fromBeginning: Bool
  /// A number, `earliest` or `latest`.
  public var offset: String?
  /// ISO-8601 or milliseconds since the epoch.
  public var fromTime: String?
  public var group: String?
  public var max: Int?
  public var follow: Bool
  public var partition: Int?
  /// How long `follow` waits in all before giving up (nil: until interrupted); for tests.
  public var followTimeoutMilliseconds: Int64?
  /// Also the records of a product's topic that no run of the product committed (a run in
  /// progress, or one that crashed before its checkpoint).
  public var readUncommitted: Bool
  /// Step over damaged batches and lost records (each one a warning) instead of stopping.
  public var skipDamage: Bool

  public init(
    fromBeginning: Bool = false, offset: String? = nil, fromTime: String? = nil, group: String? = nil, max: Int? = nil,
    follow: Bool = false, partition: Int? = nil, followTimeoutMilliseconds: Int64? = nil, readUncommitted: Bool = false,
    skipDamage: Bool = false
  ) {
    self.readUncommitted = readUncommitted
    self.skipDamage = skipDamage
    self.fromBeginning = fromBeginning
    self.offset = offset
    self.fromTime = fromTime
    self.group = group
    self.max = max
    self.follow = follow
    self.partition = partition
    self.followTimeoutMilliseconds = followTimeoutMilliseconds
  }
}

extension MeshDriver {
  /// `meshc consume TOPIC`: prints records as JSON lines (see `RecordJSON`) through
  /// `output`, which returns false once its reader has gone (then consumption stops
  /// cleanly). Where reading starts, per partition: `--offset`, else `--from-time`, else
  /// the group's committed offset, else the beginning with `--from-beginning`, else the
  /// end (only new records), as Kafka's console consumer does. With `--group`, the
  /// offsets after the printed records are committed at the end (and every second while
  /// following).
  public static func consume(
    topic name: String, options: ConsumeOptions, _ context: LogCommandContext,
    output: (inout [UInt8]) -> Bool
  ) -> Report {
    var report = context.report()
    let commandLine = context.commandLine
    let at = commandLine.range(ofPositional: name)
    if let problem = TopicName.problem(with: name) {
      report.usage(.invalidLogName, "invalid topic name '\(name)': \(problem)", at: at)
    }
    if let group = options.group, let problem = TopicName.problem(with: group, kind: .group) {
      report.usage(
        .invalidLogName, "invalid consumer group name '\(group)': \(problem)",
        at: commandLine.range(ofOption: "--group"))
    }
    if let max = options.max, max < 1 {
      report.usage(
        .invalidOffset, "invalid --max \(max): expected at least 1", at: commandLine.range(ofOption: "--max"))
    }
    if options.offset != nil, options.fromTime != nil || options.fromBeginning {
      report.usage(
        .conflictingOptions,
        "--offset cannot be combined with \(options.fromTime != nil ? "--from-time" : "--from-beginning")",
        at: commandLine.range(ofFlag: options.fromTime != nil ? "--from-time" : "--from-beginning"))
    }
    if options.fromTime != nil, options.fromBeginning {
      report.usage(
        .conflictingOptions, "--from-time cannot be combined with --from-beginning",
        at: commandLine.range(ofFlag: "--from-beginning"))
    }
    var fromTime: Int64?
    if let text = options.fromTime {
      switch EventTime.parse(text) {
      case .success(let value): fromTime = value.millisecondsSinceEpoch
      case .failure(let problem):
        report.usage(
          .invalidTimestamp, "invalid time '\(text)': \(problem.message)",
          at: commandLine.range(ofOption: "--from-time"))
      }
    }
    var explicitStart: StartPosition?
    if let text = options.offset {
      switch text.lowercased() {
      case "earliest", "beginning": explicitStart = .earliest
      case "latest", "end": explicitStart = .latest
      default:
        if let value = Int64(text), value >= 0 {
          explicitStart = .offset(Offset(value))
        } else {
          report.usage(
            .invalidOffset, "invalid offset '\(text)': expected a number from 0, 'earliest' or 'latest'",
            at: commandLine.range(ofOption: "--offset"))
        }
      }
    }
    guard !report.diagnostics.hasErrors else { return report }

    let topic: Topic
    let typed: TypedValues
    do throws(LogError) {
      let log = try Log.open(directory: context.dataDirectory, writable: false, io: context.io, clock: context.clock)
      topic = try log.topic(name)
      typed = TypedValues(registry: SchemaRegistry(log: log))
    } catch {
      report.add(error, at: at)
      return report
    }
    var partitionIDs = Array(topic.partitions.indices)
    if let partition = options.partition {
      guard topic.partitions.indices.contains(partition) else {
        report.usage(
          .unknownPartition,
          "topic '\(name)' has no partition \(partition) (expected 0 to \(topic.partitions.count - 1))",
          at: commandLine.range(ofOption: "--partition"))
        return report
      }
      partitionIDs = [partition]
    }
    if case .offset = explicitStart, partitionIDs.count > 1 {
      report.usage(
        .conflictingOptions, "--offset needs --partition: topic '\(name)' has \(partitionIDs.count) partitions",
        at: commandLine.range(ofFlag: "--offset"))
      return report
    }
    var committed: [Int: Offset] = [:]
    if let group = options.group {
      do throws(LogError) {
        committed = try topic.committedOffsets(group: group)
      } catch {
        report.add(error, at: commandLine.range(ofOption: "--group"))
        return report
      }
    }

    // Position every reader.
    let fallback: StartPosition.Fallback = options.fromBeginning ? .earliest : .latest
    let position: StartPosition =
      explicitStart ?? fromTime.map { .time(milliseconds: $0) }
      ?? options.group.map { .committed(group: $0, otherwise: fallback) }
      ?? (options.fromBeginning ? .earliest : .latest)
    let starts: [PartitionStart]
    do throws(LogError) {
      starts = try topic.startOffsets(position, partitions: partitionIDs)
    } catch {
      switch (position, error) {
      case (.offset, .offsetOutOfRange): report.add(error, at: commandLine.range(ofOption: "--offset"))
      case (.committed, _): report.add(error, at: commandLine.range(ofOption: "--group"))
      default: report.add(error, at: at)
      }
      return report
    }
    var readers: [PartitionReader] = []
    for start in starts {
      if let reset = start.reset {
        report.diagnostics.warning(
          .committedOffsetReset,
          "consumer group '\(options.group ?? "")' committed offset \(reset.committed) for partition \(start.partition), "
            + "which is no longer in the log (\(reset.start) to \(reset.end)); resuming at \(start.offset)",
          at: commandLine.range(ofOption: "--group"))
      }
      do throws(LogError) {
        let reader = try topic.partitions[start.partition].reader(from: start.offset)
        reader.skipsDamage = options.skipDamage
        readers.append(reader)
      } catch {
        report.add(error, at: at)
        return report
      }
    }

    // A product's topic shows what its runs committed, as Kafka's read_committed consumers see.
    var commits = options.readUncommitted ? nil : productCommits(topic: name, context)
    InterruptSignal.install()
    var out: [UInt8] = []
    out.reserveCapacity(1 << 17)
    var printed = 0
    var outputClosed = false
    let limit = options.max ?? .max
    var lastCommit = MonotonicClock.milliseconds()
    let deadline = options.followTimeoutMilliseconds.map { MonotonicClock.milliseconds() + $0 }
    var committedPositions: [Int: Offset] = [:]
    func commit() {
      guard let group = options.group else { return }
      var offsets: [Int: Offset] = [:]
      for reader in readers where committed[reader.partition.id] != reader.position {
        offsets[reader.partition.id] = reader.position
      }
      guard !offsets.isEmpty, offsets != committedPositions else { return }
      do throws(LogError) {
        try topic.commit(group: group, offsets: offsets)
        committedPositions = offsets
      } catch {
        report.add(error, at: commandLine.range(ofOption: "--group"))
      }
    }
    // Ctrl-C and SIGTERM stop a long read too, not only a follow that waits.
    consuming: while printed < limit, !outputClosed, !InterruptSignal.isRaised {
      var progressed = false
      for reader in readers where printed < limit {
        var most = min(500, limit - printed)
        if let commits {
          let room = (commits.topicEnds[name]?[String(reader.partition.id)] ?? 0) - reader.position.value
          guard room > 0 else { continue }
          most = Int(min(Int64(most), room))
        }
        do throws(LogError) {
          var shown = 0
          let count = try reader.forEachRecord(maxRecords: most) { record in
            if let commits,
              !commits.isCommitted(topic: name, partition: reader.partition.id, offset: record.offset.value)
            {
              return true
            }
            try RecordJSON.append(record, topic: name, partition: reader.partition.id, typed: typed, to: &out)
            shown += 1
            return true
          }
          printed += shown
          progressed = progressed || count > 0
          for skipped in reader.skipped {
            report.diagnostics.warning(
              .skippedDamage, "skipped: \(skipped)", at: commandLine.range(ofFlag: "--skip-damage"))
          }
          reader.skipped.removeAll()
        } catch {
          if !out.isEmpty { _ = output(&out) }
          report.add(error)
          commit()
          return report
        }
        if out.count >= 1 << 16 {
          if !output(&out) {
            outputClosed = true
            break
          }
        }
      }
      if !out.isEmpty, !output(&out) { outputClosed = true }
      if progressed { continue }
      guard options.follow, !InterruptSignal.isRaised else { break }
      if commits != nil { commits = productCommits(topic: name, context) }
      if let deadline, MonotonicClock.milliseconds() >= deadline { break }
      if MonotonicClock.milliseconds() - lastCommit >= 1000 {
        commit()
        lastCommit = MonotonicClock.milliseconds()
      }
      var positions: [Int: Offset] = [:]
      for reader in readers { positions[reader.partition.id] = reader.position }
      _ = topic.waitForData(beyond: positions, milliseconds: 200)
      if InterruptSignal.isRaised { break consuming }
    }
    commit()
    for problem in typed.problems { report.add(problem, context: context) }
    if printed == 0, !options.follow, explicitStart == nil, fromTime == nil, committed.isEmpty, !options.fromBeginning {
      report.summary =
        "no records printed: without --from-beginning, --offset, --from-time or a group's offsets, "
        + "consume starts at the end of the topic"
    }
    report.jsonFields = [("topic", JSONWriter.quote(name)), ("consumed", String(printed))]
    return report
  }
}

extension MeshDriver {
  /// The latest checkpoint of the product whose port the topic is (`<domain>.<product>.<port>`),
  /// when that product has run on this data directory and names the topic.
  static func productCommits(topic: String, _ context: LogCommandContext) -> ProductCheckpoint? {
    let parts = topic.split(separator: ".")
    guard parts.count >= 3 else { return nil }
    let product = parts.prefix(2).joined(separator: ".")
    let directory = URL(fileURLWithPath: context.dataDirectory).appendingPathComponent("products/\(product)")
    guard let checkpoint = try? CheckpointStore(directory: directory).latest(), checkpoint.topicEnds[topic] != nil
    else {
      return nil
    }
    return checkpoint
  }
}
