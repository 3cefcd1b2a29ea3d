import MeshData
import MeshPlan
import MeshRuntime
import MeshTestSupport
import Testing

/// The table-table join as a changelog: its output, applied in order (retractions, then
/// rows), always builds the join of the two sides' latest rows — whatever the order of
/// the changes, how they are cut into batches, and across snapshot/restore.
@Suite struct TableJoinOperatorTests {
  typealias Fixture = TemporalJoinOperatorTests

  static func join(_ type: JoinPlan.JoinType) throws -> TableJoinOperator {
    var plan = Fixture.joinPlan(type)
    plan.kind = .tableTable
    var schema = Fixture.output(type)
    if type == .full { for index in schema.fields.indices { schema.fields[index].nullable = true } }
    return try TableJoinOperator(
      name: "current", schema: schema, plan: plan, left: Fixture.orders, right: Fixture.profiles, leftKey: [0],
      rightKey: [0], leftTime: 2, rightTime: 2)
  }

  /// The join of the latest rows: orders by id, profiles by customer (nil tier: deleted).
  static func model(_ orders: [Fixture.Order?], _ changes: [Fixture.Change], type: JoinPlan.JoinType) -> [String] {
    var latestOrders: [String: Fixture.Order] = [:]
    var previous: Fixture.Order?
    for order in orders {
      // A nil deletes the order written just before it.
      if let order {
        latestOrders[order.id] = order
        previous = order
      } else if let previous {
        latestOrders[previous.id] = nil
      }
    }
    var profiles: [String: Fixture.Change] = [:]
    for change in changes { profiles[change.customer] = change.tier == nil ? nil : change }
    var rows: [String] = []
    var partnered = Set<String>()
    for order in latestOrders.values {
      let prefix = "\(order.id) \(order.customer) \(order.time)"
      if let profile = profiles[order.customer] {
        partnered.insert(order.customer)
        rows.append("\(prefix) \(profile.tier ?? "-") \(profile.time)")
      } else if type != .inner {
        rows.append("\(prefix) null null")
      }
    }
    if type == .full {
      for (customer, profile) in profiles where !partnered.contains(customer) {
        rows.append("null \(customer) null \(profile.tier ?? "-") \(profile.time)")
      }
    }
    return rows.sorted()
  }

  /// Applies a changelog piece to the view: retractions, then rows, by order and customer.
  static func apply(_ output: OperatorOutput, to view: inout [String: String]) {
    func identity(_ row: String) -> String { row.split(separator: " ").prefix(2).joined(separator: " ") }
    for row in Fixture.rows(OperatorOutput(batches: output.deletions)) { view[identity(row)] = nil }
    for row in Fixture.rows(output) { view[identity(row)] = row }
  }

  @Test(arguments: [JoinPlan.JoinType.inner, .left, .full])
  func anyOrderOfChangesBuildsTheJoinOfTheLatestRows(_ type: JoinPlan.JoinType) throws {
    var random = SeededRandom()
    var total = 0
    for _ in 0..<150 {
      // Orders o0…o7 written, rewritten with another customer, or deleted.
      var orders: [Fixture.Order?] = []
      for step in 0..<Int.random(in: 0...30, using: &random) {
        if !orders.isEmpty, Int.random(in: 0..<5, using: &random) == 0, orders.last != nil {
          orders.append(nil)
        } else {
          let id = "o\(Int.random(in: 0..<8, using: &random))"
          orders.append(Fixture.Order(id: id, customer: "c\(Int.random(in: 0..<5, using: &random))", time: Int64(step)))
        }
      }
      let (_, changes) = Fixture.inputs(&random)
      let expected = Self.model(orders, changes, type: type)
      total += expected.count
      var join = try Self.join(type)
      var view: [String: String] = [:]
      var left = orders[...]
      var right = changes[...]
      var previous: Fixture.Order?
      while !left.isEmpty || !right.isEmpty {
        if Int.random(in: 0..<8, using: &random) == 0 {
          // Now and then so small a budget that the rows move to RocksDB.
          let budget = Bool.random(using: &random) ? 64 : 256 << 20
          join = try OperatorRestart.restart(join, into: try Self.join(type), memoryBudget: budget)
        }
        if !left.isEmpty, right.isEmpty || Bool.random(using: &random) {
          let order = left.removeFirst()
          if let order {
            Self.apply(try join.process(Fixture.batch([order]), side: .left, deleting: false), to: &view)
            previous = order
          } else if let gone = previous {
            Self.apply(try join.delete(primaryKey: Array(gone.id.utf8), side: .left), to: &view)
          }
        } else {
          let count = Int.random(in: 1...min(5, right.count), using: &random)
          for change in right.prefix(count) {
            Self.apply(
              try join.process(Fixture.batch([change]), side: .right, deleting: change.tier == nil), to: &view)
          }
          right = right.dropFirst(count)
        }
      }
      #expect(view.values.sorted() == expected, "seed \(random.seed)")
    }
    #expect(total > 300)
  }

  /// The latest row by event time wins: an older version that comes later changes
  /// nothing; a tombstone removes the row whatever its time; a full join's right row
  /// without a partner takes the key from the right.
  @Test func anOlderVersionComingLateChangesNothing() throws {
    let join = try Self.join(.full)
    var view: [String: String] = [:]
    Self.apply(
      try join.process(
        Fixture.batch([Fixture.Change(customer: "c1", tier: "gold", time: 5)]), side: .right,
        deleting: false), to: &view)
    #expect(view.values.sorted() == ["null c1 null gold 5"])
    Self.apply(
      try join.process(
        Fixture.batch([Fixture.Order(id: "o1", customer: "c1", time: 10)]), side: .left,
        deleting: false), to: &view)
    let late = try join.process(
      Fixture.batch([Fixture.Order(id: "o1", customer: "c2", time: 4)]), side: .left, deleting: false)
    #expect(late.batches.isEmpty && late.deletions.isEmpty)
    #expect(view.values.sorted() == ["o1 c1 10 gold 5"])
    Self.apply(try join.delete(primaryKey: Array("o1".utf8), side: .left), to: &view)
    #expect(view.values.sorted() == ["null c1 null gold 5"])
    #expect(join.tableRows == 1)
  }
}
