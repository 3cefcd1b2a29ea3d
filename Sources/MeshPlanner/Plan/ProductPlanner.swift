import MeshData
import MeshDiagnostics
import MeshManifest
import MeshPlan

/// Compiles one resolved product to its logical plan: every step's schema from the
/// schemas of its inputs, every expression checked against the records it reads, every
/// port checked against its contract. A step that cannot be planned (a mistake already
/// reported) is left out, and the steps that read it stay quiet.
struct ProductPlanner {
  let product: ResolvedProduct
  let governance: Governance?
  var diagnostics = Diagnostics()
  private(set) var planned: [String: PlanStep] = [:]
  private(set) var order: [PlanStep] = []
  private var attempted: Set<String> = []

  init(product: ResolvedProduct, governance: Governance?) {
    self.product = product
    self.governance = governance
  }

  var manifest: DataProduct { product.loaded.product }

  mutating func plan() -> ProductPlan {
    for input in manifest.inputs { _ = step(input.name.value) }
    for transform in manifest.transforms { _ = step(transform.name.value) }
    let outputs = manifest.outputs.compactMap { output($0) }
    let checks = checks()
    SharedIdentifierCheck.check(order, manifest: manifest, governance: governance, into: &diagnostics)
    return ProductPlan(product: manifest.id, steps: order, outputs: outputs, checks: checks)
  }

  /// The planned step of that name, planning it (and what it reads) first.
  mutating func step(_ name: String) -> PlanStep? {
    if let done = planned[name] { return done }
    guard attempted.insert(name).inserted else { return nil }
    let step: PlanStep?
    if let input = manifest.inputs.first(where: { $0.name.value == name }) {
      step = inputStep(input)
    } else if let transform = manifest.transforms.first(where: { $0.name.value == name }) {
      step = transformStep(transform)
    } else {
      step = nil
    }
    if let step {
      planned[name] = step
      order.append(step)
    }
    return step
  }

  // MARK: Inputs

  private mutating func inputStep(_ input: ProductInput) -> PlanStep? {
    let name = input.name.value
    guard let avro = product.inputSchemas[name] else { return nil }
    guard let schema = RecordSchema(avro: avro) else {
      diagnostics.error(
        .contractFieldType, "input '\(name)' must have a record schema", at: input.range,
        help: "records flow between steps; wrap the value in a record with one field")
      return nil
    }
    switch input.source {
    case .files(let files):
      var eventTime: FieldReference?
      if let field = files.eventTime {
        eventTime = eventTimeField(field, in: schema, input: name)
        if eventTime == nil { return nil }
      }
      return PlanStep(
        name: name,
        operation: .files(format: files.format.value.rawValue, path: files.path.value, eventTime: eventTime),
        inputs: [], schema: schema, lineage: schema.fields.map { _ in ColumnLineage(sources: []) },
        hasEventTime: eventTime != nil)
    case .port(let reference):
      let upstream = "\(reference.product.value).\(reference.port.value)"
      return PlanStep(
        name: name,
        operation: .port(product: reference.product.value, port: reference.port.value, topic: upstream),
        inputs: [], schema: schema,
        lineage: schema.fields.map { ColumnLineage(sources: [ColumnSource(step: upstream, column: $0.name)]) },
        hasEventTime: true)
    }
  }

  private mutating func eventTimeField(
    _ field: Located<String>, in schema: RecordSchema, input: String
  )
    -> FieldReference?
  {
    guard let index = schema.index(of: field.value) else {
      diagnostics.error(
        .unknownColumn, "input '\(input)' has no field '\(field.value)' to take event time from", at: field.range,
        help: Suggestion.didYouMean(field.value, among: schema.fields.map(\.name)))
      return nil
    }
    switch schema.fields[index].type {
    case .timestamp, .date, .int64: return FieldReference(path: [index], names: [field.value])
    case let other:
      diagnostics.error(
        .noEventTime, "event time '\(field.value)' is a \(other), not a timestamp", at: field.range,
        help: "use a field with logicalType timestamp-millis or timestamp-micros")
      return nil
    }
  }

  // MARK: Outputs and quality

  private mutating func output(_ port: OutputPort) -> PlannedOutput? {
    guard let step = planned[port.from.value] else { return nil }
    let key = port.key.compactMap { column($0, in: step, purpose: "the key of port '\(port.name.value)'") }
    var contract: RecordSchema?
    if let avro = product.portSchemas[port.name.value], let reference = port.schema {
      contract = RecordSchema(avro: avro)
      if let contract {
        ContractCheck.check(
          produced: step, contract: contract, port: port.name.value, at: reference.range,
          select: selectColumns(of: step.name), into: &diagnostics)
      }
    }
    let partitioning = port.partitionBy.flatMap { partitionBy($0, in: step, port: port.name.value) }
    let topic = port.kind.value == .stream ? "\(manifest.id).\(port.name.value)" : nil
    var planned = PlannedOutput(
      name: port.name.value, kind: port.kind.value.rawValue, step: step.name, topic: topic, key: key,
      contract: contract)
    planned.partitionBy = partitioning
    return planned
  }

  /// `partitionBy: day(placed_at)`: a field, or a time field cut to its year, month,
  /// day or hour (UTC) — one directory of files per value, as Hive and Iceberg lay out.
  private mutating func partitionBy(_ text: Located<String>, in step: PlanStep, port: String) -> Partitioning? {
    let value = text.value.trimmingSpacesAround
    var transform: Partitioning.Transform = .identity
    var name = value
    if let open = value.firstIndex(of: "("), value.hasSuffix(")") {
      let function = String(value[..<open]).lowercased()
      name = String(value[value.index(after: open)..<value.index(before: value.endIndex)]).trimmingSpacesAround
      guard let cut = Partitioning.Transform(rawValue: function), cut != .identity else {
        diagnostics.error(
          .invalidValue, "partitionBy of port '\(port)' cuts by '\(function)', which is not year, month, day or hour",
          at: text.range,
          help: Suggestion.didYouMean(function, among: ["year", "month", "day", "hour"]).map {
            $0 + " e.g. day(placed_at)"
          }
            ?? "write a field, or year(…), month(…), day(…) or hour(…) of a time field")
        return nil
      }
      transform = cut
    }
    guard let field = column(Located(name, at: text.range), in: step, purpose: "partitionBy of port '\(port)'") else {
      return nil
    }
    if transform != .identity {
      switch step.schema.fields[field.path[0]].type {
      case .timestamp, .date: break
      case let other:
        diagnostics.error(
          .invalidValue, "partitionBy of port '\(port)' cuts '\(name)' by \(transform.rawValue), but it is a \(other)",
          at: text.range, help: "year, month, day and hour apply to timestamps and dates")
        return nil
      }
    }
    return Partitioning(field: field, transform: transform)
  }

  /// The `select:` columns of a step, when it is a select: mistakes about its fields are
  /// reported where the field is written.
  private func selectColumns(of step: String) -> [SelectColumn] {
    guard let transform = manifest.transforms.first(where: { $0.name.value == step }),
      case .select(let columns) = transform.operation
    else { return [] }
    return columns
  }

  /// A quality check runs on the records of each port whose step has the fields it
  /// reads; it is a mistake only when it fits none of them (reported against the first).
  private mutating func checks() -> [QualityCheck] {
    var steps: [PlanStep] = []
    for port in manifest.outputs {
      if let step = planned[port.from.value], !steps.contains(where: { $0.name == step.name }) { steps.append(step) }
    }
    var checks: [QualityCheck] = []
    for rule in manifest.quality {
      var firstFindings: Diagnostics?
      var fitted = false
      for step in steps {
        var findings = Diagnostics()
        if let condition = ExpressionChecker.check(
          rule.check, against: step.schema, as: .check, source: "the output of '\(step.name)'", into: &findings)
        {
          checks.append(
            QualityCheck(
              name: rule.name.value, onFail: rule.onFail.value.rawValue, step: step.name, condition: condition))
          fitted = true
        }
        if firstFindings == nil { firstFindings = findings }
      }
      if !fitted, let firstFindings { diagnostics.append(contentsOf: firstFindings) }
    }
    return checks
  }

  /// A field named in a key, groupBy or dedupe, or nil after reporting E0810.
  mutating func column(_ name: Located<String>, in step: PlanStep, purpose: String) -> FieldReference? {
    if let index = step.schema.index(of: name.value) {
      return FieldReference(path: [index], names: [name.value])
    }
    let names = step.schema.fields.map(\.name)
    diagnostics.error(
      .unknownColumn, "\(purpose) names '\(name.value)', which '\(step.name)' does not produce", at: name.range,
      help: Suggestion.didYouMean(name.value, among: names) ?? "its fields are \(ExpressionChecker.list(names))")
    return nil
  }
}

extension String {
  var trimmingSpacesAround: String {
    let scalars = unicodeScalars
    let start = scalars.firstIndex { $0 != " " } ?? scalars.endIndex
    let end = scalars.lastIndex { $0 != " " }.map { scalars.index(after: $0) } ?? start
    return String(scalars[start..<max(start, end)])
  }
}
