public import Foundation
import MeshBytes
public import MeshData
public import MeshPlan

/// `aggregate:` without a window: a table with one row per group, kept up to date. Each
/// input batch emits the new rows of the groups it changed (in group order), as upserts:
/// published on a stream port keyed by the group fields, the compacted topic holds every
/// group's current measures. Nothing closes, so nothing is late; `first` and `last` follow
/// the event time when the records have one, else the order they came in. The groups and
/// their accumulators are keyed state (`KeyedState`: in memory, or in RocksDB once they
/// outgrow the memory budget); the snapshot is the count of records seen.
public final class TableAggregateOperator: Operator {
  /// The state of checkpoints before keyed state: all of it, as JSON.
  struct InlineState: Codable {
    var groups: [[UInt8]: AggregateGroup]
    var arrivals: Int64
  }

  public let name: String
  private let schema: RecordSchema
  private let groupBy: [Int]
  private let eventTime: (field: Int, unitsPerMillisecond: Int64)?
  private let measures: [Measure]
  /// In memory until `openState` names a place.
  private lazy var groups = KeyedState<AggregateGroup>(inMemoryFor: name)
  /// Records seen: the time of `first` and `last` for records without an event time.
  private var arrivals: Int64 = 0
  private static let snapshotVersion: UInt64 = 1

  public init(
    name: String, schema: RecordSchema, input: RecordSchema, plan: AggregatePlan, eventTime: String?
  ) throws(RunFailure) {
    self.name = name
    self.schema = schema
    groupBy = plan.groupBy.compactMap { $0.path.first }
    self.eventTime = WindowAggregateOperator.eventTime(eventTime, in: input)
    measures = try Measure.compile(plan, step: name)
  }

  public var keepsKeyedState: Bool { true }
  public var keyedStateInRocksDB: Bool { groups.spilled }

  public func openState(_ context: StateContext) throws(RunFailure) {
    groups = try KeyedState(context, step: name)
  }

  public func checkpointState(into directory: URL) throws(RunFailure) {
    try groups.checkpoint(into: directory)
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var context = EvaluationContext()
    let arguments = measures.map { $0.argument?.evaluate(batch, &context) }
    var times: [Int64]?
    if let eventTime, case .int64(let values) = batch.columns[eventTime.field].values {
      times = values.map { $0.floorDivided(by: eventTime.unitsPerMillisecond) }
    }
    // The batch's groups, read once from the state and written back once: each record
    // finds its group's slot by one lookup of its key, built in a reused buffer.
    var slots: [StateKey: Int] = [:]
    // Keys, values and accumulators apart: sorting the keys moves no group, and adding a
    // record to an accumulator copies no group (as changing it inside one did).
    var keys: [StateKey] = []
    var values: [[GroupValue]] = []
    var accumulators: [Accumulator] = []
    let functions = measures.map(\.function)
    var key: [UInt8] = []
    for row in batch.rows {
      key.removeAll(keepingCapacity: true)
      for column in groupBy { GroupValue.appendKey(of: batch.columns[column], row, to: &key) }
      let time = times?[row] ?? arrivals
      arrivals &+= 1
      let stateKey = StateKey(key)
      let slot: Int
      if let known = slots[stateKey] {
        slot = known
      } else {
        let kept = try groups.take(stateKey)
        if let kept, kept.values.count != groupBy.count || !kept.accumulator.holds(measures: measures.count) {
          throw RunFailure("step \(name): its state is damaged (a group of another shape)")
        }
        slot = keys.count
        slots[stateKey] = slot
        keys.append(stateKey)
        // A new group's values are made from its first record; a kept one has them.
        values.append(kept?.values ?? groupBy.map { GroupValue(batch.columns[$0], row) })
        accumulators.append(kept?.accumulator ?? Accumulator(measures: measures.count))
      }
      accumulators[slot].add(row, time: time, arguments, functions: functions)
    }
    guard !keys.isEmpty else { return OperatorOutput() }
    var columns: [[GroupValue]] = Array(repeating: [], count: schema.fields.count)
    let order = keys.indices.sorted { keys[$0].precedes(keys[$1]) }
    for slot in order {
      let group = AggregateGroup(values: values[slot], accumulator: accumulators[slot])
      groups.set(keys[slot], group)
      for (field, value) in group.values.enumerated() { columns[field].append(value) }
      for (index, measure) in measures.enumerated() {
        columns[group.values.count + index].append(group.accumulator.result(index, measure))
      }
    }
    try groups.endOfBatch()
    let built = zip(schema.fields, columns).map { field, values in GroupValue.column(values, type: field.type) }
    return OperatorOutput(batches: [RecordBatch(schema: schema, columns: built, rowCount: keys.count)])
  }

  /// | version 1 (varint) | records seen (varint) |
  public func snapshot() throws(RunFailure) -> [UInt8] {
    var out = ByteWriter()
    out.writeVarint(Self.snapshotVersion)
    out.writeVarint(UInt64(clamping: arrivals))
    return out.bytes
  }

  public func restore(_ bytes: [UInt8]) throws(RunFailure) {
    guard bytes.first != UInt8(ascii: "{") else { return try restoreInline(bytes) }
    var reader = try JoinState.reader(bytes, version: Self.snapshotVersion, step: name)
    do throws(ByteReaderError) {
      arrivals = Int64(clamping: try reader.readVarint())
    } catch {
      throw JoinState.damaged(error, step: name)
    }
  }

  /// A checkpoint from before keyed state: its groups move into the keyed state.
  private func restoreInline(_ bytes: [UInt8]) throws(RunFailure) {
    guard let restored = try AggregateState.decode(InlineState.self, from: bytes, step: name) else { return }
    for (key, group) in restored.groups { groups.set(StateKey(key), group) }
    arrivals = restored.arrivals
  }
}
