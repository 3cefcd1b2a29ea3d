import MeshData
import MeshPlan
import MeshRuntime
import MeshTestSupport
import Testing

/// The stream-table join against a model computed from whole inputs: each order joins
/// the profile its customer had at the order's time. The same records, fed in random
/// interleavings of the two sides, in random pieces, with the state snapshotted and
/// restored into a fresh operator at random points, always give the model's rows.
@Suite struct TemporalJoinOperatorTests {
  static let timestamp = DataType.timestamp(.millis, utc: true)
  static let orders = RecordSchema(
    name: "orders",
    fields: [
      DataField(name: "order_id", type: .string, nullable: false),
      DataField(name: "customer", type: .string, nullable: false),
      DataField(name: "placed_at", type: timestamp, nullable: false),
    ])
  static let profiles = RecordSchema(
    name: "profiles",
    fields: [
      DataField(name: "customer", type: .string, nullable: false),
      DataField(name: "tier", type: .string, nullable: false),
      DataField(name: "changed_at", type: timestamp, nullable: false),
    ])

  static func joinPlan(_ type: JoinPlan.JoinType, lateness: Int64 = 0) -> JoinPlan {
    JoinPlan(
      kind: .streamTable, type: type,
      keys: [(FieldReference(path: [1], names: ["customer"]), FieldReference(path: [0], names: ["customer"]))],
      withinMilliseconds: nil, allowedLatenessMilliseconds: lateness,
      columns: [(.left, 0), (.left, 1), (.left, 2), (.right, 1), (.right, 2)])
  }

  static func output(_ type: JoinPlan.JoinType) -> RecordSchema {
    RecordSchema(
      name: "joined",
      fields: orders.fields + [
        DataField(name: "tier", type: .string, nullable: type == .left),
        DataField(name: "changed_at", type: timestamp, nullable: type == .left),
      ])
  }

  static func join(_ type: JoinPlan.JoinType, lateness: Int64 = 0) throws -> TemporalJoinOperator {
    try TemporalJoinOperator(
      name: "buyers", schema: output(type), plan: joinPlan(type, lateness: lateness), left: orders, right: profiles,
      leftTime: 2, rightTime: 2, tableKey: [0])
  }

  struct Order {
    var id: String
    var customer: String
    var time: Int64
  }

  struct Change {
    var customer: String
    var tier: String?
    var time: Int64
  }

  static func batch(_ orders: [Order]) -> RecordBatch {
    TestBatches.batch(
      orders.map { [.string($0.id), .string($0.customer), .integer($0.time)] }, schema: Self.orders)
  }

  static func batch(_ changes: [Change]) -> RecordBatch {
    TestBatches.batch(
      changes.map { [.string($0.customer), .string($0.tier ?? "-"), .integer($0.time)] }, schema: profiles)
  }

  /// A batch into one side, then the batch's end (when the watermarks move): the rows
  /// of both.
  static func feed(
    _ join: any JoinOperator, _ batch: RecordBatch, _ side: JoinSide, deleting: Bool = false
  ) throws
    -> [String]
  {
    rows(try join.process(batch, side: side, deleting: deleting)) + rows(try join.endOfBatch())
  }

  /// Rows as `order customer time tier changed_at`, `null` for a missing side.
  static func rows(_ output: OperatorOutput) -> [String] {
    output.batches.flatMap { batch in
      batch.rows.map { row in
        batch.columns.map { column in
          if column.isNull(row) { return "null" }
          if case .int64(let values) = column.values { return String(values[row]) }
          return column.string(row)
        }.joined(separator: " ")
      }
    }
  }

  /// What the join must give: each order before the table's last change joins the
  /// customer's latest change at or before it (of two at one time, the later), unless
  /// that change deletes the customer.
  static func model(_ orders: [Order], _ changes: [Change], keepsUnmatched: Bool) -> [String] {
    guard let last = changes.map(\.time).max() else { return [] }
    return orders.filter { $0.time < last }.compactMap { order in
      let version = changes.last { $0.customer == order.customer && $0.time <= order.time }
      let prefix = "\(order.id) \(order.customer) \(order.time)"
      if let version, let tier = version.tier { return "\(prefix) \(tier) \(version.time)" }
      return keepsUnmatched ? "\(prefix) null null" : nil
    }.sorted()
  }

  /// Random inputs in time order per side (nothing late): orders of five customers, and
  /// changes that set a tier or delete the customer, some at the same time.
  static func inputs(_ random: inout SeededRandom) -> ([Order], [Change]) {
    var orders: [Order] = []
    var time: Int64 = 0
    for number in 0..<Int.random(in: 0...60, using: &random) {
      time += Int64.random(in: 0...5, using: &random)
      orders.append(Order(id: "o\(number)", customer: "c\(Int.random(in: 0..<5, using: &random))", time: time))
    }
    var changes: [Change] = []
    time = 0
    for _ in 0..<Int.random(in: 0...40, using: &random) {
      time += Int64.random(in: 0...8, using: &random)
      let tier =
        Int.random(in: 0..<6, using: &random) == 0 ? nil : ["gold", "silver", "bronze"].randomElement(using: &random)
      changes.append(Change(customer: "c\(Int.random(in: 0..<5, using: &random))", tier: tier, time: time))
    }
    return (orders, changes)
  }

  @Test(arguments: [JoinPlan.JoinType.inner, .left])
  func anyInterleavingGivesTheRowsAsOfEachRecordsTime(_ type: JoinPlan.JoinType) throws {
    var random = SeededRandom()
    var joined = 0
    for _ in 0..<150 {
      let (orders, changes) = Self.inputs(&random)
      let expected = Self.model(orders, changes, keepsUnmatched: type == .left)
      joined += expected.count
      var join = try Self.join(type)
      var left = orders[...]
      var right = changes[...]
      var got: [String] = []
      while !left.isEmpty || !right.isEmpty {
        if Int.random(in: 0..<8, using: &random) == 0 {
          // Now and then so small a budget that the table moves to RocksDB.
          let budget = Bool.random(using: &random) ? 64 : 256 << 20
          join = try OperatorRestart.restart(join, into: try Self.join(type), memoryBudget: budget)
        }
        if !left.isEmpty, right.isEmpty || Bool.random(using: &random) {
          let count = Int.random(in: 1...min(7, left.count), using: &random)
          got += try Self.feed(join, Self.batch(Array(left.prefix(count))), .left)
          left = left.dropFirst(count)
        } else {
          let count = Int.random(in: 1...min(5, right.count), using: &random)
          let piece = Array(right.prefix(count))
          right = right.dropFirst(count)
          // Deletions come both ways: as rows a filter rejected, and as tombstones.
          for change in piece {
            if change.tier != nil {
              got += try Self.feed(join, Self.batch([change]), .right)
            } else if Bool.random(using: &random) {
              got += try Self.feed(join, Self.batch([change]), .right, deleting: true)
            } else {
              got += Self.rows(try join.delete(primaryKey: Array(change.customer.utf8), at: change.time))
              got += Self.rows(try join.endOfBatch())
            }
          }
        }
      }
      #expect(got.sorted() == expected, "seed \(random.seed)")
      #expect(join.lateRecords == 0)
    }
    #expect(joined > 1000, "the inputs should join often")
  }

  @Test func recordsBehindTheirSidesWatermarkAreLateAndTheStateFollowsTheLiveTable() throws {
    let join = try Self.join(.inner, lateness: 10)
    _ = try Self.feed(join, Self.batch([Change(customer: "a", tier: "gold", time: 100)]), .right)
    #expect(try Self.feed(join, Self.batch([Order(id: "o1", customer: "a", time: 95)]), .left).isEmpty)
    // 85 is older than the right's watermark (100 − 10): late, dropped.
    _ = try Self.feed(join, Self.batch([Change(customer: "a", tier: "silver", time: 85)]), .right)
    #expect(join.lateRecords == 1)
    // The order at 95 waits until the right's watermark passes 95: at 106.
    let emitted = try Self.feed(join, Self.batch([Change(customer: "b", tier: "gold", time: 106)]), .right)
    // o1 (95) is before a's first version (100): an inner join has no row for it.
    #expect(emitted.isEmpty)
    _ = try Self.feed(join, Self.batch([Order(id: "o2", customer: "a", time: 120)]), .left)
    #expect(try Self.feed(join, Self.batch([Order(id: "o3", customer: "a", time: 105)]), .left).isEmpty)
    #expect(join.lateRecords == 2)
    let later = try Self.feed(join, Self.batch([Change(customer: "a", tier: "bronze", time: 140)]), .right)
    #expect(later == ["o2 a 120 gold 100"])
    #expect(join.waitingRecords == 0)
    #expect(join.tableRows == 2)
  }

  @Test func aRecordMatchingSeveralRowsGivesOneEachInKeyOrder() throws {
    // The table keyed by customer and tier, joined on customer alone.
    func make() throws -> TemporalJoinOperator {
      try TemporalJoinOperator(
        name: "offers", schema: Self.output(.inner), plan: Self.joinPlan(.inner), left: Self.orders,
        right: Self.profiles, leftTime: 2, rightTime: 2, tableKey: [0, 1])
    }
    let first = try make()
    _ = try Self.feed(
      first,
      Self.batch([Change(customer: "a", tier: "silver", time: 1), Change(customer: "a", tier: "gold", time: 2)]),
      .right)
    // Restarted with the table in RocksDB: the index of join keys comes back with it.
    let join = try OperatorRestart.restart(first, into: try make(), memoryBudget: 64)
    _ = try Self.feed(join, Self.batch([Order(id: "o1", customer: "a", time: 5)]), .left)
    let rows = try Self.feed(join, Self.batch([Change(customer: "z", tier: "x", time: 9)]), .right)
    #expect(rows == ["o1 a 5 gold 2", "o1 a 5 silver 1"])
  }

  @Test func damagedStateIsReportedNotTrusted() throws {
    let join = try Self.join(.inner)
    _ = try Self.feed(join, Self.batch([Change(customer: "a", tier: "gold", time: 1)]), .right)
    _ = try Self.feed(join, Self.batch([Order(id: "o1", customer: "a", time: 5)]), .left)
    let state = try join.snapshot()
    var random = SeededRandom()
    for cut in 1..<state.count {
      let fresh = try Self.join(.inner)
      #expect(throws: RunFailure.self) { try fresh.restore(Array(state.prefix(cut))) }
    }
    for _ in 0..<200 {
      var damaged = state
      damaged[Int.random(in: 0..<damaged.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
      // A flipped byte may still read as some state; it must never crash.
      _ = try? Self.join(.inner).restore(damaged)
    }
  }
}
