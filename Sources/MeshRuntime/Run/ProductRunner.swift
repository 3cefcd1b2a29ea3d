public import Foundation
import MeshBytes
import MeshConnectors
import MeshData
import MeshDiagnostics
import MeshFormats
public import MeshLog
import MeshPlan
import MeshSchema

#if canImport(Glibc)
  import Glibc
#endif

/// Runs one product over the files its inputs match, exactly once: each file is read,
/// pushed through the product's operators, and written to its outputs; then one
/// checkpoint commits the file as consumed together with how far each output topic
/// holds committed records and the batch files to put in place. A run that dies before
/// the checkpoint leaves records in the topics that no checkpoint names: the next run
/// records them as aborted (consumers skip them) and reads the file again. Batch files
/// are staged and renamed into place only after their checkpoint commits, under names
/// that a replay reproduces. One run per product and data directory at a time (a lock).
public final class ProductRunner {
  public let spec: ProductRunSpec
  let log: Log
  let store: CheckpointStore
  var checkpoint: ProductCheckpoint
  var operators: [String: any Operator] = [:]
  var checks: [String: QualityCheckOperator] = [:]
  var topics: [String: Topic] = [:]
  var schemaIDs: [String: Int] = [:]
  var sinks: [String: FileSink] = [:]
  var deadLetters: Topic
  /// Steps between a table input and the join that reads it (filters there delete).
  var tableSteps: Set<String> = []
  /// Port inputs read as tables → the joins reading them and on which side (for tombstones).
  var joinsByTable: [String: [(join: String, side: JoinSide)]] = [:]
  private var lock: Int32 = -1
  public internal(set) var summary: RunSummary
  /// Called after each input batch (for a progress line); nil: nobody asks.
  public var progress: ((RunProgress) -> Void)?
  /// Files of the input being read that are not read yet.
  private var filesLeft = 0
  /// Per file input: files of this pass it has yet to read (see `holdWatermarks`).
  var filesToRead: [String: Int] = [:]

  public init(spec: ProductRunSpec, log: Log, stateDirectory: URL) throws(RunFailure) {
    self.spec = spec
    self.log = log
    store = CheckpointStore(directory: stateDirectory)
    summary = RunSummary(product: spec.product)
    lock = try Self.lock(stateDirectory, product: spec.product)
    checkpoint = try store.latest() ?? ProductCheckpoint()
    do {
      deadLetters = try log.topic(spec.deadLetterTopic, creatingWith: TopicConfig()).topic
    } catch {
      throw RunFailure("the dead-letter topic \(spec.deadLetterTopic): \(error)")
    }
    try buildOperators()
    try openOutputs()
    try recover()
  }

  deinit { if lock >= 0 { close(lock) } }

  /// A second run of the product on this data directory is refused while this one runs.
  static func lock(_ directory: URL, product: String) throws(RunFailure) -> Int32 {
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("run.lock").path
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw RunFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      throw RunFailure("another run of \(product) is using this data directory")
    }
    return descriptor
  }

  private func buildOperators() throws(RunFailure) {
    for step in spec.plan.steps {
      switch step.operation {
      case .files: continue
      case .filter(let condition): operators[step.name] = try FilterOperator(name: step.name, condition: condition)
      case .select(let expressions):
        operators[step.name] = try ProjectOperator(name: step.name, schema: step.schema, expressions: expressions)
      case .port: continue
      case .dedupe(let key, let within):
        operators[step.name] = try DedupeOperator(
          name: step.name, schema: step.schema, key: key, withinMilliseconds: within,
          eventTime: spec.inputs.first?.eventTime)
      case .aggregate(let aggregate):
        guard let input = step.inputs.first.flatMap({ spec.plan.step(named: $0) }) else { continue }
        let eventTime = spec.inputs.first?.eventTime
        operators[step.name] =
          aggregate.window == nil
          ? try TableAggregateOperator(
            name: step.name, schema: step.schema, input: input.schema, plan: aggregate, eventTime: eventTime)
          : try WindowAggregateOperator(
            name: step.name, schema: step.schema, input: input.schema, plan: aggregate, eventTime: eventTime)
        if aggregate.window == nil {
          try followChangelog(from: step, of: "the table aggregate \(step.name)")
        } else if aggregate.window?.late == .update {
          try followChangelog(from: step, of: "the aggregate \(step.name), whose windows late records update")
        }
      case .join(let join): operators[step.name] = try joinOperator(step, join)
      case .union: operators[step.name] = UnionOperator(name: step.name, schema: step.schema)
      }
    }
    try restoreState()
    for step in Set(spec.plan.checks.map(\.step)) {
      checks[step] = try QualityCheckOperator(name: "quality", checks: spec.plan.checks.filter { $0.step == step })
    }
  }

  private func openOutputs() throws(RunFailure) {
    let registry = SchemaRegistry(log: log)
    for output in spec.streams {
      do {
        topics[output.topic] = try log.topic(output.topic, creatingWith: output.config).topic
      } catch {
        throw RunFailure("provisioning topic \(output.topic): \(error)")
      }
      let subject = "\(output.topic)-value"
      do {
        if let mode = output.compatibility { try registry.setCompatibility(mode, for: subject) }
        let registration = try registry.register(
          Array(output.schema.jsonText.utf8), path: output.port, subject: subject)
        switch registration {
        case .registered(let id, _), .existing(let id, _): schemaIDs[output.topic] = id
        }
      } catch {
        throw RunFailure("port \(output.port)'s schema does not register under \(subject): \(error)")
      }
    }
    for output in spec.batches {
      let partitioning = output.partitionBy.flatMap { partition -> FileSink.Partitioning? in
        guard let field = RecordSchema(avro: output.schema)?.index(of: partition.field) else { return nil }
        return FileSink.Partitioning(field: field, name: partition.field, transform: partition.transform)
      }
      do {
        sinks[output.port] = try FileSink(
          directory: spec.meshRoot.appendingPathComponent(output.path), format: output.format, schema: output.schema,
          partitioning: partitioning)
      } catch {
        throw RunFailure("port \(output.port): \(error.message)")
      }
    }
  }

  /// Sets aside what a crashed attempt wrote after the last checkpoint, and finishes the
  /// last checkpoint's renames of batch files.
  private func recover() throws(RunFailure) {
    var changed = false
    for (name, topic) in topics.merging([spec.deadLetterTopic: deadLetters], uniquingKeysWith: { a, _ in a }) {
      for partition in topic.partitions {
        let key = String(partition.id)
        let end = partition.snapshot().endOffset.value
        let committed = checkpoint.topicEnds[name]?[key] ?? 0
        guard end > committed else { continue }
        checkpoint.aborted[name, default: [:]][key, default: []].append(
          ProductCheckpoint.Range(start: committed, end: end))
        checkpoint.topicEnds[name, default: [:]][key] = end
        summary.abortedRecords += Int(end - committed)
        changed = true
      }
    }
    for (port, sink) in sinks {
      if let staged = checkpoint.stagedFiles[port] {
        do throws(FormatError) {
          try sink.commit(staged.map { FileSink.Staged(staging: $0.staging, final: $0.final) })
        } catch {
          throw RunFailure("port \(port): \(error.message)")
        }
      }
      sink.discardStaged()
    }
    if changed {
      checkpoint.id += 1
      checkpoint.stagedFiles = [:]
      try store.commit(checkpoint)
      StateFiles.removeCheckpoints(except: [checkpoint.id - 1, checkpoint.id], in: store.directory)
    }
  }

  /// Reads every file not yet consumed, each committed by its own checkpoint.
  public func runOnce() throws(RunFailure) -> RunSummary {
    var sources: [(input: ProductRunSpec.FileInput, source: FileSource, paths: [String])] = []
    for input in spec.inputs {
      var source: FileSource
      do {
        source = try FileSource(
          root: spec.meshRoot, glob: input.glob, format: input.format, schema: input.schema, csv: input.csv)
      } catch {
        throw RunFailure("input \(input.name): \(error.message)")
      }
      if let used = InputProjection.usedFields(of: input.name, in: spec.plan, eventTime: input.eventTime) {
        source.skippedFields = Set(source.records.fields.indices).subtracting(used)
      }
      let paths = source.matchingFiles()
      let tracker = checkpoint.inputs[input.name] ?? FileTracker()
      filesToRead[input.name] =
        paths.count { path in
          let size =
            (try? FileManager.default.attributesOfItem(
              atPath: spec.meshRoot.appendingPathComponent(path).path)[.size] as? Int) ?? -1
          return !tracker.mayHaveConsumed(path: path, size: Int64(size))
        }
      sources.append((input, source, paths))
    }
    for (input, source, paths) in sources {
      for (index, path) in paths.enumerated() {
        filesLeft = paths.count - index
        let tracker = checkpoint.inputs[input.name] ?? FileTracker()
        let file: FileSource.OpenedFile?
        do {
          file = try source.open(path, skipping: tracker)
        } catch {
          throw RunFailure("input \(input.name): \(error.message)")
        }
        guard let file else { continue }
        try process(file, input: input)
        var updated = tracker
        updated.markConsumed(file.identity)
        checkpoint.inputs[input.name] = updated
        filesToRead[input.name] = max(0, (filesToRead[input.name] ?? 1) - 1)
        try commit()
        summary.filesRead += 1
      }
      filesToRead[input.name] = 0
    }
    try releaseHeldWatermarks()
    if !spec.ports.isEmpty { try readPorts(spec.ports) }
    summary.checkpoint = checkpoint.id
    summary.late = operators.values.reduce(0) { $0 + $1.lateRecords }
    let warned = summary.warnings
    summary.warnings = Array(Set(warned)).sorted()
    return summary
  }

  /// Pushes a file's batches through the product as they are read.
  private func process(_ file: FileSource.OpenedFile, input: ProductRunSpec.FileInput) throws(RunFailure) {
    while true {
      let next: (RecordBatch, [RejectedRecord])?
      do {
        next = try file.nextBatch()
      } catch {
        throw RunFailure("input \(input.name): \(file.identity.path): \(error.message)")
      }
      guard let (batch, rejected) = next else { return }
      var letters = rejected.map { rejected in
        DeadLetter(
          step: input.name, reason: rejected.field.map { "field \($0): \(rejected.reason)" } ?? rejected.reason,
          source: "\(file.identity.path):\(rejected.line):\(rejected.column)", record: rejected.text)
      }
      summary.recordsIn += batch.count + rejected.count
      if batch.count > 0 {
        noteEventTimes(batch, input: input)
        letters += try push(batch, from: input.name) + endOfBatch()
      }
      try writeDeadLetters(letters)
      progress?(RunProgress(summary: summary, lag: .files(filesLeft)))
    }
  }

  /// Hands a step's output to the steps that read it and to the ports that publish it.
  /// `deleting`: the rows leave a table (on the way from a table input to its join).
  func push(_ batch: RecordBatch, from step: String, deleting: Bool = false) throws(RunFailure) -> [DeadLetter] {
    var letters: [DeadLetter] = []
    for consumer in spec.plan.steps where consumer.inputs.contains(step) {
      guard let op = operators[consumer.name] else { continue }
      if let join = op as? any JoinOperator {
        let output = try join.process(
          batch, side: consumer.inputs.first == step ? .left : .right, deleting: deleting)
        letters += try pushOutput(output, from: consumer.name)
        continue
      }
      if deleting, op is FilterOperator {
        letters += try push(batch, from: consumer.name, deleting: true)
        continue
      }
      let output = try op.process(batch)
      letters += deleting ? [] : output.deadLetters
      summary.dropped += deleting ? 0 : output.dropped.values.reduce(0, +)
      for next in output.batches where next.count > 0 {
        letters += try push(next, from: consumer.name, deleting: deleting)
        if !deleting, tableSteps.contains(consumer.name), op is FilterOperator {
          letters += try push(next.unselected(of: batch), from: consumer.name, deleting: true)
        }
      }
    }
    guard !deleting else {
      try publishDeletions(batch, step: step)
      return letters
    }
    let publishing = spec.streams.contains { $0.step == step } || spec.batches.contains { $0.step == step }
    guard publishing else { return letters }
    var checked = batch
    if let rules = checks[step] {
      let output = try rules.process(batch)
      letters += output.deadLetters
      for (rule, count) in output.failedChecks { summary.failedChecks[rule, default: 0] += count }
      summary.dropped += output.dropped.values.reduce(0, +)
      summary.warnings += output.warnings
      guard let first = output.batches.first else { return letters }
      checked = first
    }
    try publish(checked, step: step)
    return letters
  }

  /// What an operator emitted, handed on: its deletions first, then its rows.
  func pushOutput(_ output: OperatorOutput, from step: String) throws(RunFailure) -> [DeadLetter] {
    var letters = output.deadLetters
    for gone in output.deletions where gone.count > 0 { letters += try push(gone, from: step, deleting: true) }
    for next in output.batches where next.count > 0 { letters += try push(next, from: step) }
    return letters
  }

  /// An input batch has gone through: operators waiting for watermarks go on, in plan
  /// order, so that what one emits reaches the next before that one moves on.
  func endOfBatch() throws(RunFailure) -> [DeadLetter] {
    var letters: [DeadLetter] = []
    for step in spec.plan.steps {
      guard let op = operators[step.name] else { continue }
      letters += try pushOutput(try op.endOfBatch(), from: step.name)
    }
    return letters
  }

  /// Syncs the outputs, then commits one checkpoint naming all of it, then puts the batch
  /// files in place.
  func commit() throws(RunFailure) {
    var staged: [String: [ProductCheckpoint.StagedFile]] = [:]
    for (port, sink) in sinks {
      do {
        staged[port] = try sink.prepare().map { ProductCheckpoint.StagedFile(staging: $0.staging, final: $0.final) }
      } catch {
        throw RunFailure("port \(port): \(error.message)")
      }
    }
    for (name, topic) in topics.merging([spec.deadLetterTopic: deadLetters], uniquingKeysWith: { a, _ in a }) {
      for partition in topic.partitions {
        do {
          try partition.flush()
        } catch {
          throw RunFailure("syncing \(name): \(error)")
        }
        checkpoint.topicEnds[name, default: [:]][String(partition.id)] = partition.snapshot().endOffset.value
      }
    }
    try writeState(id: checkpoint.id + 1)
    checkpoint.id += 1
    checkpoint.stagedFiles = staged
    checkpoint.counters["recordsIn", default: 0] = Int64(summary.recordsIn)
    try store.commit(checkpoint)
    StateFiles.removeCheckpoints(except: [checkpoint.id - 1, checkpoint.id], in: store.directory)
    for (port, files) in staged {
      do throws(FormatError) {
        try sinks[port]?.commit(files.map { FileSink.Staged(staging: $0.staging, final: $0.final) })
      } catch {
        throw RunFailure("port \(port): \(error.message)")
      }
    }
  }
}
