import Foundation
import MeshData
import MeshPlan
import MeshRuntime

extension FuzzHarness {
  /// An operator's checkpointed state made of the input, restored — as its snapshot, or
  /// as the entries of its keyed state in a `memory.state` file with a correct checksum, so
  /// that the values' decoders see any bytes — then given a batch of each side and
  /// checkpointed again: a diagnostic (RunFailure) or a working operator, never a crash.
  ///
  /// The first byte: bits 0–2 choose the operator (a table aggregate, a stream-table join,
  /// a table-table join, a dedupe, tumbling windows, session windows; 6 and 7 a table
  /// aggregate again); bit 3, keyed state (entries as a length byte, the key, a length
  /// byte, the value) rather than the snapshot.
  @Sendable public static func operatorState(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    let body = Array(bytes.dropFirst())
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-fuzz-state-\(getpid())")
    defer { try? FileManager.default.removeItem(at: root) }
    do throws(RunFailure) {
      let op = try StateFixture.makeOperator(Int(mode & 7))
      if mode & 8 != 0 {
        let store = MemoryStateStore()
        store.apply(StateFixture.entries(body))
        let checkpoint = root.appendingPathComponent("checkpoint")
        try store.checkpoint(into: checkpoint)
        try op.openState(
          StateContext(live: root.appendingPathComponent("live"), checkpoint: checkpoint, memoryBudget: 1 << 20))
      } else {
        try op.restore(body)
      }
      if let join = op as? any JoinOperator {
        _ = try join.process(StateFixture.profiles(), side: .right, deleting: false)
        _ = try join.process(StateFixture.orders(), side: .left, deleting: false)
      } else {
        _ = try op.process(StateFixture.orders())
      }
      _ = try op.endOfBatch()
      _ = try op.snapshot()
      try op.checkpointState(into: root.appendingPathComponent("again"))
    } catch {
      return
    }
  }
}

/// The operators and batches `operatorState` runs: orders (id, customer, amount, time)
/// and customer profiles (customer, tier, time).
enum StateFixture {
  static let time = DataType.timestamp(.millis, utc: true)
  static let orderSchema = RecordSchema(
    name: "orders",
    fields: [
      DataField(name: "order_id", type: .string, nullable: false),
      DataField(name: "customer", type: .string, nullable: false),
      DataField(name: "amount", type: .float64, nullable: false),
      DataField(name: "placed_at", type: time, nullable: false),
    ])
  static let profileSchema = RecordSchema(
    name: "profiles",
    fields: [
      DataField(name: "customer", type: .string, nullable: false),
      DataField(name: "tier", type: .string, nullable: false),
      DataField(name: "changed_at", type: time, nullable: false),
    ])

  static func makeOperator(_ choice: Int) throws(RunFailure) -> any Operator {
    let amount = BoundExpression.field(
      FieldReference(path: [2], names: ["amount"]), ValueType(.float64, nullable: false))
    let customer = BoundExpression.field(
      FieldReference(path: [1], names: ["customer"]), ValueType(.string, nullable: false))
    switch choice {
    case 3:
      return try DedupeOperator(
        name: "fuzz", schema: orderSchema, key: [FieldReference(path: [1], names: ["customer"])],
        withinMilliseconds: 1_000, eventTime: "placed_at")
    case 1, 2:
      var plan = JoinPlan(
        kind: choice == 1 ? .streamTable : .tableTable, type: .left,
        keys: [(FieldReference(path: [1], names: ["customer"]), FieldReference(path: [0], names: ["customer"]))],
        withinMilliseconds: nil, allowedLatenessMilliseconds: 0,
        columns: [(.left, 0), (.left, 1), (.right, 1)])
      plan.type = .left
      let joined = RecordSchema(
        name: "joined",
        fields: Array(orderSchema.fields.prefix(2)) + [DataField(name: "tier", type: .string, nullable: true)])
      if choice == 1 {
        return try TemporalJoinOperator(
          name: "fuzz", schema: joined, plan: plan, left: orderSchema, right: profileSchema, leftTime: 3,
          rightTime: 2, tableKey: [0])
      }
      return try TableJoinOperator(
        name: "fuzz", schema: joined, plan: plan, left: orderSchema, right: profileSchema, leftKey: [0],
        rightKey: [0], leftTime: 3, rightTime: 2)
    case 4, 5:
      let window = WindowPlan(
        kind: choice == 4 ? .tumbling(sizeMilliseconds: 10) : .session(gapMilliseconds: 10),
        allowedLatenessMilliseconds: 5, late: .update)
      let bounds = ["window_start", "window_end"].map { DataField(name: $0, type: time, nullable: false) }
      return try WindowAggregateOperator(
        name: "fuzz", schema: totals(bounds), input: orderSchema, plan: aggregate(window, amount, customer),
        eventTime: "placed_at")
    default:
      return try TableAggregateOperator(
        name: "fuzz", schema: totals([]), input: orderSchema, plan: aggregate(nil, amount, customer),
        eventTime: "placed_at")
    }
  }

  /// Per customer: the count, the largest amount and the count of distinct customers.
  static func aggregate(_ window: WindowPlan?, _ amount: BoundExpression, _ customer: BoundExpression) -> AggregatePlan
  {
    AggregatePlan(
      groupBy: [FieldReference(path: [1], names: ["customer"])], window: window,
      measures: [
        .aggregate(.count, nil, ValueType(.int64, nullable: false)),
        .aggregate(.max, amount, ValueType(.float64, nullable: true)),
        .aggregate(.countDistinct, customer, ValueType(.int64, nullable: false)),
      ])
  }

  static func totals(_ bounds: [DataField]) -> RecordSchema {
    RecordSchema(
      name: "totals",
      fields: [DataField(name: "customer", type: .string, nullable: false)] + bounds + [
        DataField(name: "orders", type: .int64, nullable: false),
        DataField(name: "largest", type: .float64, nullable: true),
        DataField(name: "kinds", type: .int64, nullable: false),
      ])
  }

  /// Entries as a length byte, the key, a length byte, the value, while the bytes last.
  static func entries(_ bytes: [UInt8]) -> [(key: [UInt8], value: [UInt8]?)] {
    var entries: [(key: [UInt8], value: [UInt8]?)] = []
    var rest = bytes[...]
    while let keyLength = rest.popFirst() {
      let key = Array(rest.prefix(Int(keyLength)))
      rest = rest.dropFirst(Int(keyLength))
      let valueLength = Int(rest.popFirst() ?? 0)
      entries.append((key, Array(rest.prefix(valueLength))))
      rest = rest.dropFirst(valueLength)
    }
    return entries
  }

  static func strings(_ values: [String]) -> Column {
    var offsets: [Int32] = [0]
    var bytes: [UInt8] = []
    for value in values {
      bytes += value.utf8
      offsets.append(Int32(bytes.count))
    }
    return Column(type: .string, values: .binary(offsets: offsets, bytes: bytes))
  }

  static func orders() -> RecordBatch {
    RecordBatch(
      schema: orderSchema,
      columns: [
        strings(["o1", "o2", "o3"]), strings(["a", "b", "a"]), Column(type: .float64, values: .float64([1, 2, 3])),
        Column(type: time, values: .int64([10, 20, 30])),
      ], rowCount: 3)
  }

  static func profiles() -> RecordBatch {
    RecordBatch(
      schema: profileSchema,
      columns: [
        strings(["a", "b"]), strings(["gold", "silver"]), Column(type: time, values: .int64([5, 40])),
      ], rowCount: 2)
  }
}
