public import MeshData
public import MeshPlan

/// `aggregate:` without a window: a table with one row per group, kept up to date. Each
/// input batch emits the new rows of the groups it changed (in group order), as upserts:
/// published on a stream port keyed by the group fields, the compacted topic holds every
/// group's current measures. Nothing closes, so nothing is late; `first` and `last` follow
/// the event time when the records have one, else the order they came in. The groups and
/// their accumulators are the state, in the checkpoint.
public final class TableAggregateOperator: Operator {
  struct Group: Codable {
    var values: [GroupValue]
    var accumulator: Accumulator
  }

  struct State: Codable {
    var groups: [[UInt8]: Group]
    /// Records seen: the time of `first` and `last` for records without an event time.
    var arrivals: Int64
  }

  public let name: String
  private let schema: RecordSchema
  private let groupBy: [Int]
  private let eventTime: (field: Int, unitsPerMillisecond: Int64)?
  private let measures: [Measure]
  private var state = State(groups: [:], arrivals: 0)

  public init(
    name: String, schema: RecordSchema, input: RecordSchema, plan: AggregatePlan, eventTime: String?
  ) throws(RunFailure) {
    self.name = name
    self.schema = schema
    groupBy = plan.groupBy.compactMap { $0.path.first }
    self.eventTime = WindowAggregateOperator.eventTime(eventTime, in: input)
    measures = try Measure.compile(plan, step: name)
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var context = EvaluationContext()
    let arguments = measures.map { $0.argument?.evaluate(batch, &context) }
    var times: [Int64]?
    if let eventTime, case .int64(let values) = batch.columns[eventTime.field].values {
      times = values.map { $0.floorDivided(by: eventTime.unitsPerMillisecond) }
    }
    var changed = Set<[UInt8]>()
    for row in batch.rows {
      var key: [UInt8] = []
      var values: [GroupValue] = []
      for column in groupBy {
        let value = GroupValue(batch.columns[column], row)
        values.append(value)
        value.append(to: &key)
      }
      let time = times?[row] ?? state.arrivals
      state.arrivals += 1
      state.groups[key, default: Group(values: values, accumulator: Accumulator(measures: measures.count))]
        .accumulator.add(row, time: time, arguments, measures)
      changed.insert(key)
    }
    guard !changed.isEmpty else { return OperatorOutput() }
    var columns: [[GroupValue]] = Array(repeating: [], count: schema.fields.count)
    for key in changed.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      guard let group = state.groups[key] else { continue }
      for (field, value) in group.values.enumerated() { columns[field].append(value) }
      for (index, measure) in measures.enumerated() {
        columns[group.values.count + index].append(group.accumulator.result(index, measure))
      }
    }
    let built = zip(schema.fields, columns).map { field, values in GroupValue.column(values, type: field.type) }
    return OperatorOutput(batches: [RecordBatch(schema: schema, columns: built, rowCount: changed.count)])
  }

  public func snapshot() throws(RunFailure) -> [UInt8] { try AggregateState.encode(state, step: name) }

  public func restore(_ bytes: [UInt8]) throws(RunFailure) {
    if let restored = try AggregateState.decode(State.self, from: bytes, step: name) { state = restored }
  }
}
