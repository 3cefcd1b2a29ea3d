import Foundation
import MeshData
import MeshPlan
import Testing

@testable import MeshRuntime

/// A window aggregate's keyed state: keys that sort by end (negative ones first), then
/// group, and read back; and a checkpoint of before keyed state, whose windows were JSON in
/// the snapshot, restored into it.
@Suite struct WindowStateTests {
  @Test func keysSortByEndThenGroupAndReadBack() {
    let windows: [(Int64, [UInt8])] = [
      (.min, [9]), (-5, []), (-5, [1]), (0, [0]), (0, [0, 0]), (0, [1]), (7, [255]), (1 << 40, [2]), (.max, []),
    ]
    let keys = windows.map { WindowState.key(end: $0.0, group: $0.1) }
    for (a, b) in zip(keys, keys.dropFirst()) { #expect(a.precedes(b)) }
    for ((end, group), key) in zip(windows, keys) {
      #expect(WindowState.window(of: key) == (end, group))
      #expect(WindowState.bound(before: end).precedes(key) || WindowState.bound(before: end) == key)
    }
    #expect(keys[2].precedes(WindowState.bound(before: 0)) && !keys[3].precedes(WindowState.bound(before: 0)))
  }

  @Test func aCheckpointOfJSONWindowsRestoresIntoKeyedState() throws {
    let input = RecordSchema(
      name: "T",
      fields: [
        DataField(name: "code", type: .string, nullable: false),
        DataField(name: "placed_at", type: .timestamp(.millis, utc: true), nullable: false),
      ])
    let output = RecordSchema(
      name: "O",
      fields: [
        DataField(name: "code", type: .string, nullable: false),
        DataField(name: "window_start", type: .timestamp(.millis, utc: true), nullable: false),
        DataField(name: "window_end", type: .timestamp(.millis, utc: true), nullable: false),
        DataField(name: "n", type: .int64, nullable: false),
      ])
    let plan = AggregatePlan(
      groupBy: [FieldReference(path: [0], names: ["code"])],
      window: WindowPlan(kind: .tumbling(sizeMilliseconds: 60_000), allowedLatenessMilliseconds: 0),
      measures: [.aggregate(.count, nil, ValueType(.int64, nullable: false))])
    let batch = TestBatches.batch([[.string("a"), .integer(61_000)]], schema: input)
    var group: [UInt8] = []
    GroupValue.appendKey(of: batch.columns[0], 0, to: &group)
    // What meshc wrote before windows were keyed state: window [0, 60 s) of "a" holds 2.
    let accumulator = #"{"counts":[2],"integers":[0],"reals":[0],"values":[{"null":{}}],"times":[0],"distinct":[[]]}"#
    let legacy = """
      {"changed":[],"emitted":[],"groups":[\(group),[{"bytes":{"_0":[97]}}]],"late":3,"maxEventTime":30000,\
      "sessions":[],"windows":[{"end":60000,"group":\(group)},\(accumulator)]}
      """
    let op = try WindowAggregateOperator(name: "w", schema: output, input: input, plan: plan, eventTime: "placed_at")
    try op.restore(Array(legacy.utf8))
    #expect(op.lateRecords == 3)
    #expect(try op.process(batch).batches.isEmpty)
    let emitted = try #require(try op.endOfBatch().batches.first)
    #expect(emitted.rowCount == 1)
    #expect(emitted.columns[0].string(0) == "a")
    if case .int64(let counts) = emitted.columns[3].values { #expect(counts == [2]) }
    // The restored window lives in keyed state: a restart through a checkpoint keeps the next one.
    let restarted = try OperatorRestart.restart(
      op,
      into: try WindowAggregateOperator(name: "w", schema: output, input: input, plan: plan, eventTime: "placed_at"),
      memoryBudget: 64)
    let next = try #require(
      try restarted.process(TestBatches.batch([[.string("a"), .integer(130_000)]], schema: input)).batches.isEmpty
        ? try restarted.endOfBatch().batches.first : nil)
    if case .int64(let counts) = next.columns[3].values { #expect(counts == [1]) }
  }
}
