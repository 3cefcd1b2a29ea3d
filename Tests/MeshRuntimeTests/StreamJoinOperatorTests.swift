import MeshData
import MeshPlan
import MeshRuntime
import MeshTestSupport
import Testing

/// The interval join against a model over whole inputs: every pair of an order and a
/// profile change of the same customer whose times are within the bounds, and with an outer
/// type the records left alone once the other side has passed their window. Random
/// interleavings, pieces and snapshot/restore points give the model's rows.
@Suite struct StreamJoinOperatorTests {
  typealias Fixture = TemporalJoinOperatorTests

  /// `bounds`: a pair's profile time minus its order time lies in them.
  /// `compactionFloor` small: the held rows' columns are compacted often.
  static func join(
    _ type: JoinPlan.JoinType, bounds: (Int64, Int64), compactionFloor: Int = 65_536
  ) throws -> StreamJoinOperator {
    var plan = Fixture.joinPlan(type)
    plan.kind = .streamStream
    if bounds.0 == -bounds.1 { plan.withinMilliseconds = bounds.1 } else { plan.boundsMilliseconds = bounds }
    var schema = Fixture.output(type)
    if type == .full { for index in schema.fields.indices { schema.fields[index].nullable = true } }
    return try StreamJoinOperator(
      name: "pairs", schema: schema, plan: plan, left: Fixture.orders, right: Fixture.profiles, leftTime: 2,
      rightTime: 2, compactionFloor: compactionFloor)
  }

  static func model(
    _ orders: [Fixture.Order], _ changes: [Fixture.Change], bounds: (Int64, Int64), type: JoinPlan.JoinType
  ) -> [String] {
    var rows: [String] = []
    let rightEnd = changes.map(\.time).max() ?? .min
    let leftEnd = orders.map(\.time).max() ?? .min
    var pairedChanges = Set<Int>()
    for order in orders {
      let partners = changes.indices.filter {
        changes[$0].customer == order.customer && (bounds.0...bounds.1).contains(changes[$0].time - order.time)
      }
      pairedChanges.formUnion(partners)
      let prefix = "\(order.id) \(order.customer) \(order.time)"
      for index in partners { rows.append("\(prefix) \(changes[index].tier ?? "-") \(changes[index].time)") }
      if partners.isEmpty, type != .inner, rightEnd != .min, order.time + bounds.1 < rightEnd {
        rows.append("\(prefix) null null")
      }
    }
    if type == .full {
      for (index, change) in changes.enumerated() where !pairedChanges.contains(index) {
        if leftEnd != .min, change.time - bounds.0 < leftEnd {
          rows.append("null null null \(change.tier ?? "-") \(change.time)")
        }
      }
    }
    return rows.sorted()
  }

  @Test(arguments: [JoinPlan.JoinType.inner, .left, .full])
  func anyInterleavingGivesThePairsWithinTheWindow(_ type: JoinPlan.JoinType) throws {
    var random = SeededRandom()
    var paired = 0
    for _ in 0..<150 {
      let (orders, changes) = Fixture.inputs(&random)
      // Symmetric (`within`) half the time, else any bounds (`between`).
      let upper = Int64.random(in: 0...6, using: &random)
      let lower = Bool.random(using: &random) ? -upper : Int64.random(in: -6...upper, using: &random)
      let bounds = (lower, upper)
      let expected = Self.model(orders, changes, bounds: bounds, type: type)
      paired += expected.count
      let floor = Int.random(in: 0...4, using: &random)
      var join = try Self.join(type, bounds: bounds, compactionFloor: floor)
      var left = orders[...]
      var right = changes[...]
      var got: [String] = []
      while !left.isEmpty || !right.isEmpty {
        if Int.random(in: 0..<8, using: &random) == 0 {
          let restored = try Self.join(type, bounds: bounds, compactionFloor: floor)
          try restored.restore(try join.snapshot())
          join = restored
        }
        if !left.isEmpty, right.isEmpty || Bool.random(using: &random) {
          let count = Int.random(in: 1...min(7, left.count), using: &random)
          got += try Fixture.feed(join, Fixture.batch(Array(left.prefix(count))), .left)
          left = left.dropFirst(count)
        } else {
          let count = Int.random(in: 1...min(5, right.count), using: &random)
          got += try Fixture.feed(join, Fixture.batch(Array(right.prefix(count))), .right)
          right = right.dropFirst(count)
        }
      }
      #expect(got.sorted() == expected, "seed \(random.seed), bounds \(bounds)")
      #expect(join.lateRecords == 0)
    }
    #expect(paired > 500, "the inputs should pair often")
  }

  @Test func stateHoldsOnlyTheWindowAndLateRecordsAreCounted() throws {
    let join = try Self.join(.inner, bounds: (-10, 10))
    for time in stride(from: Int64(0), to: 10_000, by: 5) {
      _ = try Fixture.feed(join, Fixture.batch([Fixture.Order(id: "o\(time)", customer: "a", time: time)]), .left)
      _ = try Fixture.feed(join, Fixture.batch([Fixture.Change(customer: "b", tier: "x", time: time)]), .right)
      // Each side keeps the records within 10 of the other side's latest: a handful.
      #expect(join.bufferedRecords <= 8)
    }
    _ = try Fixture.feed(join, Fixture.batch([Fixture.Order(id: "old", customer: "a", time: 100)]), .left)
    #expect(join.lateRecords == 1)
  }

  /// Thousands of keys, each of one order and one change, with the window moving on: keys
  /// leave as their records do (swept out in bulk, ids renumbered) and columns compact,
  /// across restarts — every pair still found once.
  @Test func manyKeysComingAndGoingPairOnceAcrossSweepsAndRestarts() throws {
    var random = SeededRandom()
    let count = 6_000
    let orders = (0..<count).map { Fixture.Order(id: "o\($0)", customer: "c\($0)", time: Int64($0) * 10) }
    let changes = (0..<count).map {
      Fixture.Change(
        customer: "c\($0)", tier: "t\($0 % 3)", time: Int64($0) * 10 + Int64.random(in: -5...5, using: &random))
    }
    var join = try Self.join(.inner, bounds: (-10, 10), compactionFloor: 100)
    var got: [String] = []
    var start = 0
    while start < count {
      let end = min(count, start + Int.random(in: 1...700, using: &random))
      got += try Fixture.feed(join, Fixture.batch(Array(orders[start..<end])), .left)
      got += try Fixture.feed(join, Fixture.batch(Array(changes[start..<end])), .right)
      start = end
      if Int.random(in: 0..<6, using: &random) == 0 {
        let restored = try Self.join(.inner, bounds: (-10, 10), compactionFloor: 100)
        try restored.restore(try join.snapshot())
        join = restored
      }
    }
    #expect(got.sorted() == Self.model(orders, changes, bounds: (-10, 10), type: .inner))
    #expect(join.bufferedRecords < 1_500, "records leave as the window moves on")
  }
}
