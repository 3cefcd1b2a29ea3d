import MeshData
import MeshPlan

extension ProductRunner {
  /// The operator of a join step: a temporal join for stream-table, an interval join
  /// for stream-stream.
  func joinOperator(_ step: PlanStep, _ join: JoinPlan) throws(RunFailure) -> any JoinOperator {
    switch join.kind {
    case .streamTable: return try temporalJoin(step, join)
    case .streamStream:
      guard step.inputs.count == 2, let left = spec.plan.step(named: step.inputs[0]),
        let right = spec.plan.step(named: step.inputs[1])
      else { throw RunFailure("step \(step.name): a join reads two steps") }
      guard let leftTime = eventTimeField(left.schema), let rightTime = eventTimeField(right.schema) else {
        throw RunFailure("step \(step.name): a stream-stream join needs both sides' event time as a timestamp field")
      }
      return try StreamJoinOperator(
        name: step.name, schema: step.schema, plan: join, left: left.schema, right: right.schema, leftTime: leftTime,
        rightTime: rightTime)
    case .tableTable: throw RunFailure("step \(step.name): table-table joins are not run yet")
    }
  }

  /// A stream-table join: its right side must be a table — a keyed stream port, perhaps
  /// narrowed by filters and selects that keep its key fields. Filters on that path turn
  /// the rows they reject into deletions, as a filter on a changelog must.
  func temporalJoin(_ step: PlanStep, _ join: JoinPlan) throws(RunFailure) -> TemporalJoinOperator {
    guard step.inputs.count == 2, let left = spec.plan.step(named: step.inputs[0]),
      let right = spec.plan.step(named: step.inputs[1])
    else { throw RunFailure("step \(step.name): a join reads two steps") }
    guard join.kind == .streamTable else {
      throw RunFailure("step \(step.name): \(join.kind.rawValue) joins are not run yet")
    }
    func narrows(_ step: PlanStep) -> Bool {
      switch step.operation {
      case .filter, .select: true
      default: false
      }
    }
    var path: [String] = []
    var current = right
    while narrows(current) {
      path.append(current.name)
      guard let previous = current.inputs.first.flatMap({ spec.plan.step(named: $0) }) else {
        throw RunFailure("step \(step.name): its table side has no input")
      }
      current = previous
    }
    guard let table = spec.ports.first(where: { $0.name == current.name }), !table.key.isEmpty else {
      throw RunFailure(
        "step \(step.name): the right side of a stream-table join must be a table — a stream port with a key, "
          + "read as an input, through filters and selects only; \(current.name) is not one")
    }
    var tableKey: [Int] = []
    for field in table.key {
      guard let index = right.schema.index(of: field) else {
        throw RunFailure("step \(step.name): the table's key field \(field) is not kept by \(right.name)")
      }
      tableKey.append(index)
    }
    guard let leftTime = eventTimeField(left.schema), let rightTime = eventTimeField(right.schema) else {
      throw RunFailure("step \(step.name): a stream-table join needs both sides' event time as a timestamp field")
    }
    tableSteps.formUnion(path)
    joinsByTable[table.name, default: []].append(step.name)
    return try TemporalJoinOperator(
      name: step.name, schema: step.schema, plan: join, left: left.schema, right: right.schema, leftTime: leftTime,
      rightTime: rightTime, tableKey: tableKey)
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
    for name in joinsByTable[input] ?? [] {
      guard let join = operators[name] as? TemporalJoinOperator else { continue }
      let output = try join.delete(primaryKey: primaryKey, at: time)
      letters += output.deadLetters
      for next in output.batches where next.count > 0 { letters += try push(next, from: name) }
    }
    return letters
  }
}
