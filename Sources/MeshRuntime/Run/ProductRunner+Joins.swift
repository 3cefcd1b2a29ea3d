import MeshData
import MeshPlan

extension ProductRunner {
  /// The operator of a join step: a temporal join for stream-table, an interval join
  /// for stream-stream, a changelog join of two tables for table-table.
  func joinOperator(_ step: PlanStep, _ join: JoinPlan) throws(RunFailure) -> any JoinOperator {
    guard step.inputs.count == 2, let left = spec.plan.step(named: step.inputs[0]),
      let right = spec.plan.step(named: step.inputs[1])
    else { throw RunFailure("step \(step.name): a join reads two steps") }
    guard let leftTime = eventTimeField(left.schema), let rightTime = eventTimeField(right.schema) else {
      throw RunFailure("step \(step.name): a join needs both sides' event time as a timestamp field")
    }
    switch join.kind {
    case .streamTable:
      let tableKey = try table(right, of: step, side: .right)
      return try TemporalJoinOperator(
        name: step.name, schema: step.schema, plan: join, left: left.schema, right: right.schema,
        leftTime: leftTime, rightTime: rightTime, tableKey: tableKey)
    case .streamStream:
      return try StreamJoinOperator(
        name: step.name, schema: step.schema, plan: join, left: left.schema, right: right.schema, leftTime: leftTime,
        rightTime: rightTime)
    case .tableTable:
      let leftKey = try table(left, of: step, side: .left)
      let rightKey = try table(right, of: step, side: .right)
      try followChangelog(from: step, of: "the table-table join \(step.name)")
      return try TableJoinOperator(
        name: step.name, schema: step.schema, plan: join, left: left.schema, right: right.schema, leftKey: leftKey,
        rightKey: rightKey, leftTime: leftTime, rightTime: rightTime)
    }
  }

  /// A join's side that must be a table — a keyed stream port read as an input, perhaps
  /// narrowed by filters and selects that keep its key fields — and the positions of
  /// its key fields. Filters on that path turn the rows they reject into deletions, as a
  /// filter on a changelog must; the port's tombstones reach the join as deletions.
  private func table(_ sideStep: PlanStep, of step: PlanStep, side: JoinSide) throws(RunFailure) -> [Int] {
    func narrows(_ step: PlanStep) -> Bool {
      switch step.operation {
      case .filter, .select: true
      default: false
      }
    }
    var path: [String] = []
    var current = sideStep
    while narrows(current) {
      path.append(current.name)
      guard let previous = current.inputs.first.flatMap({ spec.plan.step(named: $0) }) else {
        throw RunFailure("step \(step.name): its table side has no input")
      }
      current = previous
    }
    guard let table = spec.ports.first(where: { $0.name == current.name }), !table.key.isEmpty else {
      throw RunFailure(
        "step \(step.name): the \(side.rawValue) side of a \(step.operationName) join must be a table — a stream "
          + "port with a key, read as an input, through filters and selects only; \(current.name) is not one")
    }
    var key: [Int] = []
    for field in table.key {
      guard let index = sideStep.schema.index(of: field) else {
        throw RunFailure("step \(step.name): the table's key field \(field) is not kept by \(sideStep.name)")
      }
      key.append(index)
    }
    tableSteps.formUnion(path)
    joinsByTable[table.name, default: []].append((step.name, side))
    return key
  }

  /// The records' event time in a step's schema: an input's `eventTime` field when the
  /// step keeps it, else the first timestamp field (what a port's records carry).
  func eventTimeField(_ schema: RecordSchema) -> Int? {
    func isTimestamp(_ field: DataField) -> Bool {
      if case .timestamp = field.type { return true }
      return false
    }
    for input in spec.inputs {
      if let name = input.eventTime, let index = schema.index(of: name), isTimestamp(schema.fields[index]) {
        return index
      }
    }
    return schema.fields.firstIndex(where: isTimestamp)
  }

  /// A tombstone on a table's topic: every join reading the table deletes the key.
  func deleteFromTables(read input: String, primaryKey: [UInt8], at time: Int64) throws(RunFailure) -> [DeadLetter] {
    var letters: [DeadLetter] = []
    for (name, side) in joinsByTable[input] ?? [] {
      let output: OperatorOutput
      switch operators[name] {
      case let join as TemporalJoinOperator: output = try join.delete(primaryKey: primaryKey, at: time)
      case let join as TableJoinOperator: output = try join.delete(primaryKey: primaryKey, side: side)
      default: continue
      }
      letters += try pushOutput(output, from: name)
    }
    return letters
  }
}

extension PlanStep {
  /// The kind of a join step, for messages.
  var operationName: String {
    if case .join(let join) = operation { return join.kind.rawValue }
    return "join"
  }
}
