import MeshBytes
import MeshDiagnostics
import MeshLog

extension MeshDriver {
  /// `meshc topics`: every topic-partition with its offsets, size and retention.
  public static func listTopics(_ context: LogCommandContext) -> Report {
    var report = context.report()
    do throws(LogError) {
      let log = try Log.open(directory: context.dataDirectory, writable: false, io: context.io, clock: context.clock)
      var table = TextTable(
        header: ["TOPIC", "PARTITION", "START", "END", "SIZE", "SEGMENTS", "RETENTION", "CLEANUP"],
        numeric: [1, 2, 3, 4, 5])
      var json: [String] = []
      for name in try log.topicNames() {
        let topic: Topic
        do throws(LogError) {
          topic = try log.topic(name)
        } catch {
          report.add(error)
          continue
        }
        var partitions: [String] = []
        for partition in topic.partitions {
          let snapshot = partition.snapshot()
          table.rows.append([
            name, String(partition.id), String(snapshot.startOffset.value), String(snapshot.endOffset.value),
            ByteCount(snapshot.sizeInBytes).description, String(snapshot.segmentCount), topic.config.retentionText,
            topic.config.cleanupPolicy.rawValue,
          ])
          partitions.append(
            "{\"partition\":\(partition.id),\"startOffset\":\(snapshot.startOffset.value),"
              + "\"endOffset\":\(snapshot.endOffset.value),\"bytes\":\(snapshot.sizeInBytes),"
              + "\"segments\":\(snapshot.segmentCount)}")
        }
        json.append(
          "{\"name\":\(JSONWriter.quote(name)),\(configJSON(topic.config)),\"partitions\":[\(partitions.joined(separator: ","))]}"
        )
      }
      report.summary = table.rows.isEmpty ? "no topics in \(context.dataDirectory)" : table.render()
      report.jsonFields = [
        ("dataDirectory", JSONWriter.quote(context.dataDirectory)),
        ("topics", "[" + json.joined(separator: ",") + "]"),
      ]
    } catch {
      report.add(error)
    }
    return report
  }

  /// `meshc topics describe NAME`: configuration, partitions and consumer groups with lag.
  public static func describeTopic(_ name: String, _ context: LogCommandContext) -> Report {
    var report = context.report()
    let at = context.commandLine.range(ofPositional: name)
    do throws(LogError) {
      let log = try Log.open(directory: context.dataDirectory, writable: false, io: context.io, clock: context.clock)
      let topic = try log.topic(name)
      let config = topic.config
      var lines = [
        "topic \(name)", "  partitions          \(config.partitions)",
        "  cleanup             \(config.cleanupPolicy.rawValue)",
        "  retention           \(config.retention)",
        "  retention bytes     \(config.retentionBytes) per partition",
        "  segment size        \(config.segmentBytes)",
        "  segment time        \(config.segmentMs.map { TimeSpan(milliseconds: $0).description } ?? "infinite")",
        "  fsync               \(config.fsyncText)",
        "  tombstone retention \(config.tombstoneRetention)",
        "  directory           \(topic.directory)", "",
      ]
      var table = TextTable(
        header: ["PARTITION", "START", "END", "OFFSETS", "SIZE", "SEGMENTS", "DAMAGE"], numeric: [0, 1, 2, 3, 4, 5])
      var partitionsJSON: [String] = []
      var earlier: [String] = []
      for partition in topic.partitions {
        let snapshot = partition.snapshot()
        let damage = partition.damage
        let lost = partition.lost
        var damageText = "-"
        if let first = lost.first {
          damageText = "lost \(first.offsets.lowerBound)-\(first.offsets.upperBound.value - 1)"
        } else if let first = damage.first {
          damageText = "at offset \(first.offset)"
        }
        if lost.count + damage.count > 1 { damageText += " (+\(lost.count + damage.count - 1))" }
        table.rows.append([
          String(partition.id), String(snapshot.startOffset.value), String(snapshot.endOffset.value),
          String(snapshot.endOffset - snapshot.startOffset), ByteCount(snapshot.sizeInBytes).description,
          String(snapshot.segmentCount), damageText,
        ])
        let lostJSON = lost.map {
          "{\"from\":\($0.offsets.lowerBound.value),\"to\":\($0.offsets.upperBound.value - 1),"
            + "\"reason\":\(JSONWriter.quote($0.reason))}"
        }
        partitionsJSON.append(
          "{\"partition\":\(partition.id),\"startOffset\":\(snapshot.startOffset.value),"
            + "\"endOffset\":\(snapshot.endOffset.value),\"bytes\":\(snapshot.sizeInBytes),"
            + "\"segments\":\(snapshot.segmentCount),\"damaged\":\(!damage.isEmpty || !lost.isEmpty),"
            + "\"lost\":[\(lostJSON.joined(separator: ","))],"
            + "\"pastDamage\":[\(partition.pastDamage.map(JSONWriter.quote).joined(separator: ","))],"
            + "\"strays\":[\(partition.strays.map(JSONWriter.quote).joined(separator: ","))]}")
        for corrupt in damage { report.add(.corruptBatch(corrupt)) }
        for missing in lost { report.add(.missingRecords(missing)) }
        for stray in partition.strays {
          report.diagnostics.warning(
            .straySegmentFile,
            "'\(stray)' is named like a segment of topic '\(name)' partition \(partition.id) but is not one of its "
              + "segments; it is left alone",
            at: at, help: "move it out of the partition directory once you know what it is")
        }
        earlier += partition.pastDamage.map { "  partition \(partition.id): \($0)" }
      }
      lines.append(table.render())
      if !earlier.isEmpty {
        lines.append("")
        lines.append("damage found before (kept in the partition record after retention removes the data):")
        lines += earlier
      }
      var groupsJSON: [String] = []
      let groups = topic.groups()
      if !groups.isEmpty {
        var groupTable = TextTable(header: ["GROUP", "PARTITION", "COMMITTED", "END", "LAG"], numeric: [1, 2, 3, 4])
        for group in groups {
          let committed: [Int: Offset]
          do throws(LogError) {
            committed = try topic.committedOffsets(group: group)
          } catch {
            report.add(error)
            continue
          }
          for partition in topic.partitions {
            guard let offset = committed[partition.id] else { continue }
            let end = partition.endOffset
            groupTable.rows.append([
              group, String(partition.id), String(offset.value), String(end.value), String(max(0, end - offset)),
            ])
            groupsJSON.append(
              "{\"group\":\(JSONWriter.quote(group)),\"partition\":\(partition.id),\"committed\":\(offset.value),\"lag\":\(max(0, end - offset))}"
            )
          }
        }
        lines += ["", groupTable.render()]
      }
      report.summary = lines.joined(separator: "\n")
      report.jsonFields = [
        (
          "topic",
          "{\"name\":\(JSONWriter.quote(name)),\(configJSON(config)),\"directory\":\(JSONWriter.quote(topic.directory)),"
            + "\"partitions\":[\(partitionsJSON.joined(separator: ","))],\"groups\":[\(groupsJSON.joined(separator: ","))]}"
        )
      ]
    } catch {
      report.add(error, at: at)
    }
    return report
  }

  /// `meshc topics create NAME …`.
  public static func createTopic(_ name: String, settings: TopicSettings, _ context: LogCommandContext) -> Report {
    var report = context.report()
    let at = context.commandLine.range(ofPositional: name)
    if let problem = TopicName.problem(with: name) {
      report.usage(.invalidLogName, "invalid topic name '\(name)': \(problem)", at: at)
    }
    guard let config = settings.config(context.commandLine, &report.diagnostics, defaults: context.topicDefaults) else {
      report.usageFailure = true
      return report
    }
    guard !report.diagnostics.hasErrors else { return report }
    do throws(LogError) {
      let log = try Log.open(directory: context.dataDirectory, io: context.io, clock: context.clock)
      try log.createTopic(name, config: config)
      try log.close()
      report.summary = "created topic '\(name)': \(config.summary)"
      report.jsonFields = [("topic", "{\"name\":\(JSONWriter.quote(name)),\(configJSON(config))}")]
    } catch {
      report.add(error, at: at)
    }
    return report
  }

  /// `meshc topics delete NAME`.
  public static func deleteTopic(_ name: String, _ context: LogCommandContext) -> Report {
    var report = context.report()
    let at = context.commandLine.range(ofPositional: name)
    do throws(LogError) {
      let log = try Log.open(directory: context.dataDirectory, io: context.io, clock: context.clock)
      try log.deleteTopic(name)
      report.summary = "deleted topic '\(name)'"
      report.jsonFields = [("deleted", JSONWriter.quote(name))]
    } catch {
      report.add(error, at: at)
    }
    return report
  }

  /// `meshc topics repair NAME`: what `Log.repairTopic` did, one line each.
  public static func repairTopic(_ name: String, _ context: LogCommandContext) -> Report {
    var report = context.report()
    let at = context.commandLine.range(ofPositional: name)
    do throws(LogError) {
      let log = try Log.open(directory: context.dataDirectory, io: context.io, clock: context.clock)
      let done = try log.repairTopic(name)
      try log.close()
      report.summary =
        done.isEmpty
        ? "topic '\(name)' needed no repair" : "repaired topic '\(name)':\n  " + done.joined(separator: "\n  ")
      report.jsonFields = [
        ("topic", JSONWriter.quote(name)), ("repairs", "[" + done.map(JSONWriter.quote).joined(separator: ",") + "]"),
      ]
    } catch {
      report.add(error, at: at)
    }
    return report
  }

  static func configJSON(_ config: TopicConfig) -> String {
    func number(_ value: Int64?) -> String { value.map(String.init) ?? "null" }
    let fsync: String
    var interval = "null"
    switch config.fsync {
    case .everyBatch: fsync = "batch"
    case .interval(let milliseconds):
      fsync = "interval"
      interval = String(milliseconds)
    case .none: fsync = "none"
    }
    return "\"config\":{\"partitions\":\(config.partitions),\"cleanup\":\"\(config.cleanupPolicy.rawValue)\","
      + "\"retentionMs\":\(number(config.retention.limit?.milliseconds)),\"retentionBytes\":\(number(config.retentionBytes.limit?.value)),"
      + "\"segmentBytes\":\(config.segmentBytes.value),\"segmentMs\":\(number(config.segmentMs)),"
      + "\"fsync\":\"\(fsync)\",\"fsyncIntervalMs\":\(interval),\"tombstoneRetentionMs\":\(number(config.tombstoneRetention.limit?.milliseconds))}"
  }
}
