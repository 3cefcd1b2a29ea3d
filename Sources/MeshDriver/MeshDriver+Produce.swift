import MeshBytes
import MeshDiagnostics
import MeshLog
import MeshSchema

/// Options of `meshc produce`.
public struct ProduceOptions: Sendable {
  public var keyField: String?
  public var envelope: Bool
  public var partition: Int?
  /// Encode values with this registry subject's latest schema (Avro in the wire format).
  public var schemaSubject: String?
  /// Lines longer than this are refused before they are parsed (a record must fit one
  /// batch); the line reader should not keep more than this either.
  public var lineLimit = BatchFormat.maxRecordBytes

  public init(keyField: String? = nil, envelope: Bool = false, partition: Int? = nil, schemaSubject: String? = nil) {
    self.keyField = keyField
    self.envelope = envelope
    self.partition = partition
    self.schemaSubject = schemaSubject
  }
}

extension MeshDriver {
  /// Records per append: one batch (and one sync under `fsync=batch`) per this many lines,
  /// or sooner when the input pauses.
  static let produceBatchRecords = 1000
  static let produceBatchBytes = 1 << 20

  /// `meshc produce TOPIC`: appends one record per line of `input` (see `ProduceLine` for
  /// the shapes). Lines are appended in batches; the first bad line stops the command,
  /// after the lines before it were appended (the report says how many). A missing
  /// topic is created with default settings and a warning, as Kafka's auto-creation does.
  public static func produce(
    topic name: String, options: ProduceOptions, input: LineInput, _ context: LogCommandContext
  )
    -> Report
  {
    var report = context.report()
    let at = context.commandLine.range(ofPositional: name)
    if let problem = TopicName.problem(with: name) {
      report.usage(.invalidLogName, "invalid topic name '\(name)': \(problem)", at: at)
      return report
    }
    if options.envelope, options.keyField != nil {
      report.usage(
        .conflictingOptions, "--key-field cannot be used with --envelope (the envelope has its own \"key\")",
        at: context.commandLine.range(ofFlag: "--key-field"))
      return report
    }
    let mode: ProduceLine.Mode = options.envelope ? .envelope : options.keyField.map { .keyField($0) } ?? .plain
    let log: Log
    let topic: Topic
    do throws(LogError) {
      log = try Log.open(directory: context.dataDirectory, io: context.io, clock: context.clock)
      let config = context.topicDefaults
      let created: Bool
      (topic, created) = try log.topic(name, creatingWith: config)
      if created {
        report.diagnostics.warning(
          .topicAutoCreated, "topic '\(name)' did not exist, so it was created with \(config.summary)", at: at,
          help: "create topics with 'meshc topics create' to choose their settings")
      }
    } catch {
      report.add(error, at: at)
      return report
    }
    if let partition = options.partition, !topic.partitions.indices.contains(partition) {
      report.usage(
        .unknownPartition,
        "topic '\(name)' has no partition \(partition) (expected 0 to \(topic.partitions.count - 1))",
        at: context.commandLine.range(ofOption: "--partition"))
      try? log.close()
      return report
    }

    var typed: (id: Int, schema: Schema)?
    if let subject = options.schemaSubject {
      do throws(RegistryError) {
        let latest = try SchemaRegistry(log: log).schema(subject: subject, version: nil)
        typed = (latest.id, latest.schema)
      } catch {
        report.add(error, context: context)
        try? log.close()
        return report
      }
    }

    var pending: [(Record, Int?)] = []
    var pendingBytes = 0
    var produced = 0
    var ranges: [Int: (first: Offset, last: Offset)] = [:]
    func flush() -> Bool {
      guard !pending.isEmpty else { return true }
      defer {
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
      }
      var index = 0
      while index < pending.count {
        // Runs of records with the same explicit partition (nil: the partitioner's choice).
        let target = pending[index].1 ?? options.partition
        var end = index
        while end < pending.count, (pending[end].1 ?? options.partition) == target { end += 1 }
        do throws(LogError) {
          let positions = try topic.append(pending[index..<end].map(\.0), partition: target)
          for position in positions {
            let known = ranges[position.partition]
            ranges[position.partition] = (known?.first ?? position.offset, position.offset)
          }
          produced += positions.count
        } catch {
          report.add(error, at: at)
          return false
        }
        index = end
      }
      return true
    }

    var stopped = false
    let lineLimit = options.lineLimit
    while let next = input.nextLine() {
      guard case .complete(let line) = next, line.count <= lineLimit else {
        let bytes: Int
        switch next {
        case .complete(let line): bytes = line.count
        case .tooLong(let count): bytes = count
        }
        report.diagnostics.append(
          LogError.recordTooLarge(topic: name, partition: options.partition ?? 0, bytes: bytes, limit: lineLimit)
            .diagnostic(at: stdinRange(line: input.lineNumber, text: [], offset: 0, in: &report)))
        stopped = true
        break
      }
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
        if input.isCaughtUp, !flush() { stopped = true; break }
        continue
      }
      switch ProduceLine.record(from: line, mode: mode) {
      case .failure(let problem):
        report.diagnostics.append(
          Diagnostic(
            problem.code, problem.message,
            at: stdinRange(line: input.lineNumber, text: line, offset: problem.offset, in: &report), help: problem.help)
        )
        stopped = true
      case .success(let (parsed, partition)):
        var record = parsed
        if let typed, let value = record.value {
          switch TypedValues.encode(value, schema: typed.schema, id: typed.id) {
          case .success(let framed): record.value = framed
          case .failure(let misfit):
            // Where the value sits in the line (the whole line, or an envelope's "value").
            let start = line.firstRange(of: value)?.lowerBound ?? 0
            report.diagnostics.error(
              .valueDoesNotFitSchema, "the value does not fit schema id \(typed.id): \(misfit.error)",
              at: stdinRange(line: input.lineNumber, text: line, offset: start + misfit.offset, in: &report))
            stopped = true
            break
          }
        }
        if stopped {
          break
        } else if let partition, !topic.partitions.indices.contains(partition) {
          report.diagnostics.error(
            .unknownPartition,
            "topic '\(name)' has no partition \(partition) (expected 0 to \(topic.partitions.count - 1))",
            at: stdinRange(line: input.lineNumber, text: line, offset: 0, in: &report))
          stopped = true
        } else if topic.config.cleanupPolicy == .compact, record.key == nil {
          report.diagnostics.append(
            LogError.missingKey(topic: name).diagnostic(
              at: stdinRange(line: input.lineNumber, text: line, offset: 0, in: &report)))
          stopped = true
        } else {
          pending.append((record, partition))
          pendingBytes += line.count
        }
      }
      if stopped { break }
      if pending.count >= produceBatchRecords || pendingBytes >= produceBatchBytes || input.isCaughtUp {
        if !flush() {
          stopped = true
          break
        }
      }
    }
    if !stopped || !pending.isEmpty { _ = flush() }
    do throws(LogError) {
      try topic.maintain()
      try log.close()
    } catch {
      report.add(error)
    }
    let parts = ranges.keys.sorted().compactMap { partition in
      ranges[partition].map { "partition \(partition) offsets \($0.first)-\($0.last)" }
    }
    report.summary =
      "produced \(produced) record\(produced == 1 ? "" : "s") to '\(name)'"
      + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    let partitionsJSON = ranges.keys.sorted().compactMap { partition in
      ranges[partition].map {
        "{\"partition\":\(partition),\"firstOffset\":\($0.first.value),\"lastOffset\":\($0.last.value)}"
      }
    }
    report.jsonFields = [
      ("topic", JSONWriter.quote(name)), ("produced", String(produced)),
      ("partitions", "[" + partitionsJSON.joined(separator: ",") + "]"),
    ]
    return report
  }

  /// A range in `<stdin>` for a problem in line `line` at byte `offset`; adds a source
  /// file holding just that line (at its number) so the renderer can quote it.
  private static func stdinRange(line: Int, text: [UInt8], offset: Int, in report: inout Report) -> SourceRange {
    let padding = [UInt8](repeating: 0x0A, count: max(0, line - 1))
    let file = SourceFile(path: "<stdin>", bytes: padding + text)
    report.sources.add(file)
    return file.range(fromByte: padding.count + offset, toByte: padding.count + min(offset + 1, text.count))
  }
}
