import Foundation
import MeshConnectors
import MeshDiagnostics
import MeshFormats
import MeshLog
import MeshManifest
import MeshPlan
import MeshPlanner
import MeshRuntime
import MeshSchema

extension MeshDriver {
  /// `meshc run [PRODUCT|PATH…] --once`: runs the products named (the whole mesh by
  /// default) over the input files there are now, each file committed exactly once by a
  /// checkpoint in `<data-dir>/products/<product>/`. Every check of `validate` runs first.
  /// The summary has one line per product.
  /// Without `once`, runs follow: every second they read what is new (files, upstream
  /// commits) until SIGINT or SIGTERM (or `followMilliseconds` pass), each piece
  /// committed as it goes, so stopping loses nothing.
  /// `progress`: keep a progress line on standard error (a terminal's). `stateMemory`:
  /// bytes of keyed state a step holds in memory before it moves to RocksDB.
  public static func run(
    targets: [String], context: LogCommandContext, once: Bool, followMilliseconds: Int64? = nil,
    currentDirectory: URL? = nil, progress: Bool = false, skipDamage: Bool = false, stateMemory: Int? = nil
  ) -> Report {
    var report = plan(targets: targets, format: .text, currentDirectory: currentDirectory)
    report.summary = ""
    guard !report.diagnostics.hasErrors else { return report }
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let paths = targets.filter { $0.contains("/") || FileManager.default.fileExists(atPath: $0) }
    let ids = targets.filter { !paths.contains($0) }
    let (mesh, _) = MeshLoader.load(paths: paths.isEmpty ? ["."] : paths, currentDirectory: cwd)
    let plans = upstreamFirst(mesh.resolved.plans.filter { ids.isEmpty || ids.contains($0.product) })
    let log: Log
    do {
      log = try Log.open(directory: context.dataDirectory, io: context.io, clock: context.clock)
    } catch {
      report.add(error)
      return report
    }
    defer { try? log.close() }
    var runners: [ProductRunner] = []
    for plan in plans {
      guard let product = mesh.resolved.product(plan.product) else { continue }
      var spec: ProductRunSpec
      switch runSpec(plan, product, root: mesh.root.directory, upstream: mesh.resolved.productsByID) {
      case .success(let built): spec = built
      case .failure(let problem):
        report.diagnostics.error(.runFailed, "\(plan.product): \(problem.message)", at: nil)
        continue
      }
      spec.productsDirectory = URL(fileURLWithPath: context.dataDirectory).appendingPathComponent("products")
      spec.skipsDamage = skipDamage
      if let stateMemory { spec.stateMemoryBudget = stateMemory }
      let state = URL(fileURLWithPath: context.dataDirectory).appendingPathComponent("products/\(plan.product)")
      do {
        runners.append(try ProductRunner(spec: spec, log: log, stateDirectory: state))
      } catch {
        let code: DiagnosticCode = error.message.hasPrefix("another run of") ? .productRunning : .runFailed
        report.diagnostics.error(code, "\(plan.product): \(error.message)", at: nil)
      }
    }
    let line = progress ? ProgressLine() : nil
    if let line {
      for runner in runners { runner.progress = { line.update($0) } }
    }
    if !once { InterruptSignal.install() }
    let started = DispatchTime.now().uptimeNanoseconds
    var failed = Set<String>()
    repeat {
      for runner in runners where !failed.contains(runner.spec.product) {
        do {
          _ = try runner.runOnce()
        } catch {
          failed.insert(runner.spec.product)
          report.diagnostics.error(
            .runFailed, "\(runner.spec.product): \(error.message)", at: nil,
            help: "what its checkpoints committed stays; once the cause is mended, run it again to go on from there")
        }
      }
      if once || InterruptSignal.isRaised || failed.count == runners.count { break }
      if let followMilliseconds,
        Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) >= followMilliseconds
      {
        break
      }
      for _ in 0..<10 where !InterruptSignal.isRaised { usleep(100_000) }
    } while !InterruptSignal.isRaised
    line?.clear()
    for runner in runners {
      for warning in runner.summary.warnings {
        report.diagnostics.warning(.qualityWarning, "\(runner.spec.product): \(warning)", at: nil)
      }
      for skipped in runner.summary.skipped {
        report.diagnostics.warning(
          .skippedDamage, "\(runner.spec.product) skipped: \(skipped)",
          at: context.commandLine.range(ofFlag: "--skip-damage"))
      }
    }
    let succeeded = runners.filter { !failed.contains($0.spec.product) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let peak = Int64(usage.ru_maxrss) * 1024
    report.summary =
      succeeded.map { $0.summary.text + "\n" }.joined()
      + String(format: "ran in %.2f s, peak resident %lld MB\n", seconds, peak / 1_048_576)
    report.jsonFields = [
      ("products", "[" + succeeded.map(\.summary.json).joined(separator: ",") + "]"),
      ("seconds", String(format: "%.3f", seconds)), ("peakResidentBytes", String(peak)),
    ]
    return report
  }

  /// The run's view of a product: its file inputs, its stream and batch ports with their
  /// settings and contracts.
  static func runSpec(
    _ plan: ProductPlan, _ product: ResolvedProduct, root: URL, upstream: [String: LoadedProduct]
  ) -> Result<ProductRunSpec, RunFailure> {
    var inputs: [ProductRunSpec.FileInput] = []
    var ports: [ProductRunSpec.PortInput] = []
    for step in plan.steps {
      guard case .port(let upstreamID, let port, let topic) = step.operation else { continue }
      guard let schema = product.inputSchemas[step.name] ?? stepSchema(plan, step.name) else {
        return .failure(RunFailure("input \(step.name) has no schema"))
      }
      let key = upstream[upstreamID]?.product.output(named: port)?.key.map(\.value) ?? []
      ports.append(
        ProductRunSpec.PortInput(name: step.name, product: upstreamID, topic: topic, schema: schema, key: key))
    }
    for input in product.loaded.product.inputs {
      guard case .files(let files) = input.source else { continue }
      guard let format = MeshConnectors.FileFormat(rawValue: files.format.value.rawValue),
        let schema = product.inputSchemas[input.name.value]
      else { return .failure(RunFailure("input \(input.name.value) has no schema")) }
      var csv = CSVBatchReader.Options()
      if let options = files.csv {
        csv.header = options.header
        if let delimiter = options.delimiter?.value.utf8.first { csv.delimiter = delimiter }
      }
      inputs.append(
        ProductRunSpec.FileInput(
          name: input.name.value, format: format, glob: PathGlob(files.path.value), schema: schema, csv: csv,
          eventTime: files.eventTime?.value))
    }
    var streams: [ProductRunSpec.StreamOutput] = []
    var batches: [ProductRunSpec.BatchOutput] = []
    for port in product.loaded.product.outputs {
      guard let planned = plan.outputs.first(where: { $0.name == port.name.value }) else { continue }
      guard let schema = product.portSchemas[port.name.value] ?? stepSchema(plan, planned.step) else {
        return .failure(RunFailure("port \(port.name.value) has no schema"))
      }
      switch port.kind.value {
      case .stream:
        var config = TopicConfig()
        if let partitions = port.partitions?.value { config.partitions = partitions }
        if let retention = port.retention?.value { config.retention = retention }
        if let bytes = port.retentionBytes?.value { config.retentionBytes = bytes }
        streams.append(
          ProductRunSpec.StreamOutput(
            port: port.name.value, step: planned.step, topic: planned.topic ?? "\(plan.product).\(port.name.value)",
            key: port.key.map(\.value), schema: schema, config: config, compatibility: port.compatibility?.value))
      case .batch:
        guard let format = port.format.flatMap({ MeshConnectors.FileFormat(rawValue: $0.value.rawValue) }),
          let path = port.path?.value
        else { return .failure(RunFailure("batch port \(port.name.value) needs a format and a path")) }
        let partition = planned.partitionBy.flatMap { partitioning -> (String, FileSink.Partitioning.Transform)? in
          FileSink.Partitioning.Transform(rawValue: partitioning.transform.rawValue).map {
            (partitioning.field.description, $0)
          }
        }
        batches.append(
          ProductRunSpec.BatchOutput(
            port: port.name.value, step: planned.step, format: format, path: path, schema: schema,
            partitionBy: partition))
      case .api:
        continue
      }
    }
    var spec = ProductRunSpec(
      plan: plan, meshRoot: root, inputs: inputs, streams: streams, batches: batches,
      deadLetterTopic: "\(plan.product).dead-letter")
    spec.ports = ports
    return .success(spec)
  }

  /// Products after the products whose ports they read (among those to run).
  static func upstreamFirst(_ plans: [ProductPlan]) -> [ProductPlan] {
    let names = Set(plans.map(\.product))
    var done = Set<String>()
    var ordered: [ProductPlan] = []
    var pending = plans.sorted { $0.product < $1.product }
    while !pending.isEmpty {
      let ready = pending.filter { plan in
        plan.steps.allSatisfy { step in
          guard case .port(let upstream, _, _) = step.operation else { return true }
          return !names.contains(upstream) || done.contains(upstream)
        }
      }
      // A cycle is reported by validate; run what is left in name order rather than stop.
      let next = ready.isEmpty ? [pending[0]] : ready
      for plan in next { done.insert(plan.product) }
      ordered += next
      pending.removeAll { plan in next.contains { $0.product == plan.product } }
    }
    return ordered
  }

  /// A step's records as an Avro schema, for ports that declare no contract.
  static func stepSchema(_ plan: ProductPlan, _ step: String) -> Schema? {
    guard let records = plan.step(named: step)?.schema else { return nil }
    return Schema.parse(SourceFile(path: step, text: records.avroJSONText)).schema
  }
}
