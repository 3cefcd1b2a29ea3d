import MeshData
import MeshPlan
import MeshRuntime
import MeshTestSupport
import Testing

/// Session windows and table aggregates against a model computed from the whole input:
/// records out of order (within the allowed lateness), cut into random batches, across
/// snapshot/restore; every measure — count, sum, min of strings, max, first, last and
/// count_distinct — on each.
@Suite struct AggregateOperatorTests {
  static let input = RecordSchema(
    name: "T",
    fields: [
      DataField(name: "code", type: .string, nullable: false),
      DataField(name: "amount", type: .int64, nullable: false),
      DataField(name: "label", type: .string, nullable: true),
      DataField(name: "placed_at", type: .timestamp(.millis, utc: true), nullable: false),
    ])

  struct Record {
    var code: String
    var amount: Int64
    var label: String?
    var time: Int64
  }

  static func batch(_ records: [Record]) -> RecordBatch {
    TestBatches.batch(
      records.map {
        [.string($0.code), .integer($0.amount), $0.label.map { .string($0) } ?? .null, .integer($0.time)]
      },
      schema: input)
  }

  static func field(_ index: Int, _ type: DataType, nullable: Bool = false) -> BoundExpression {
    .field(FieldReference(path: [index], names: [input.fields[index].name]), ValueType(type, nullable: nullable))
  }

  static let measures: [(String, BoundExpression, DataType)] = [
    ("n", .aggregate(.count, nil, ValueType(.int64, nullable: false)), .int64),
    ("total", .aggregate(.sum, field(1, .int64), ValueType(.int64, nullable: true)), .int64),
    ("least", .aggregate(.min, field(2, .string, nullable: true), ValueType(.string, nullable: true)), .string),
    ("most", .aggregate(.max, field(1, .int64), ValueType(.int64, nullable: true)), .int64),
    ("opening", .aggregate(.first, field(2, .string, nullable: true), ValueType(.string, nullable: true)), .string),
    ("closing", .aggregate(.last, field(2, .string, nullable: true), ValueType(.string, nullable: true)), .string),
    (
      "labels", .aggregate(.countDistinct, field(2, .string, nullable: true), ValueType(.int64, nullable: false)),
      .int64
    ),
  ]

  static func output(windowed: Bool) -> RecordSchema {
    var fields = [DataField(name: "code", type: .string, nullable: false)]
    if windowed {
      fields += ["window_start", "window_end"].map {
        DataField(name: $0, type: .timestamp(.millis, utc: true), nullable: false)
      }
    }
    fields += measures.map { DataField(name: $0.0, type: $0.2, nullable: true) }
    return RecordSchema(name: "O", fields: fields)
  }

  static func plan(_ window: WindowPlan?) -> AggregatePlan {
    AggregatePlan(groupBy: [FieldReference(path: [0], names: ["code"])], window: window, measures: measures.map(\.1))
  }

  /// One output row as text: the group, then the measures as the model writes them.
  static func rows(_ batches: [RecordBatch]) -> [String] {
    batches.flatMap { batch in
      batch.rows.map { row in
        batch.columns.map { column -> String in
          switch TestBatches.value(column, row) {
          case .null: "null"
          case .string(let text): text
          case .integer(let number), .timestamp(let number, _): "\(number)"
          case let other: "\(other)"
          }
        }.joined(separator: " ")
      }
    }
  }

  /// The measures of `records` (in time order) as text.
  static func measured(_ records: [Record]) -> String {
    let labels = records.compactMap(\.label)
    return [
      "\(records.count)", "\(records.map(\.amount).reduce(0, +))",
      labels.min(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) ?? "null",
      "\(records.map(\.amount).max() ?? 0)", labels.first ?? "null", labels.last ?? "null", "\(Set(labels).count)",
    ].joined(separator: " ")
  }

  /// Records of codes a…d at distinct times, in bursts (so sessions form), and the order
  /// they arrive in: shuffled within `disorder` of time.
  static func records(_ random: inout SeededRandom, disorder: Int64) -> (byTime: [Record], arrival: [Record]) {
    var time: Int64 = 0
    var records: [Record] = []
    for _ in 0..<Int.random(in: 0...120, using: &random) {
      time += Int.random(in: 0..<6, using: &random) == 0 ? Int64.random(in: 40...90, using: &random) : 1
      let labels = ["b", "a", "Ä", "c", nil]
      records.append(
        Record(
          code: ["a", "b", "c", "d"][Int.random(in: 0..<4, using: &random)],
          amount: Int64.random(in: -50...50, using: &random), label: labels[Int.random(in: 0..<5, using: &random)],
          time: time * 1000))
    }
    // Sorted by time plus up to `disorder`: a record comes after none more than that newer.
    let arrival = records.map { ($0, $0.time + Int64.random(in: 0...disorder, using: &random)) }
      .sorted { $0.1 < $1.1 }.map(\.0)
    return (records, arrival)
  }

  static func feed(
    _ arrival: [Record], _ random: inout SeededRandom, make: () throws -> any Operator,
    _ body: ([RecordBatch]) -> Void
  ) throws {
    var op = try make()
    var rest = arrival[...]
    while !rest.isEmpty {
      let count = Int.random(in: 1...min(9, rest.count), using: &random)
      body(try op.process(Self.batch(Array(rest.prefix(count)))).batches)
      body(try op.endOfBatch().batches)
      rest = rest.dropFirst(count)
      if Int.random(in: 0..<4, using: &random) == 0 {
        // Now and then so small a budget that keyed state moves to RocksDB.
        let budget = Bool.random(using: &random) ? 64 : 256 << 20
        op = try OperatorRestart.restart(op, into: try make(), memoryBudget: budget)
      }
    }
  }

  @Test func sessionWindowsMatchTheSessionsOfTheWholeInput() throws {
    var random = SeededRandom()
    let gap: Int64 = 30_000
    var sessions = 0
    for _ in 0..<120 {
      let (records, arrival) = Self.records(&random, disorder: 20_000)
      // The model: per code, records closer than the gap form one session; those the
      // final watermark has passed are emitted.
      let watermark = (records.last?.time ?? 0) - 20_000
      var expected: [String] = []
      for code in ["a", "b", "c", "d"] {
        var session: [Record] = []
        func close() {
          if let first = session.first, let last = session.last, last.time + gap <= watermark {
            expected.append("\(code) \(first.time) \(last.time + gap) \(Self.measured(session))")
          }
          session = []
        }
        for record in records where record.code == code {
          if let last = session.last, record.time >= last.time + gap { close() }
          session.append(record)
        }
        close()
      }
      let window = WindowPlan(kind: .session(gapMilliseconds: gap), allowedLatenessMilliseconds: 20_000)
      var got: [String] = []
      try Self.feed(arrival, &random) {
        try WindowAggregateOperator(
          name: "s", schema: Self.output(windowed: true), input: Self.input, plan: Self.plan(window),
          eventTime: "placed_at")
      } _: {
        got += Self.rows($0)
      }
      #expect(got.sorted() == expected.sorted(), "seed \(random.seed)")
      sessions += expected.count
    }
    #expect(sessions > 300)
  }

  @Test func aTableAggregateUpsertsEveryGroupsMeasures() throws {
    var random = SeededRandom()
    for _ in 0..<120 {
      let (records, arrival) = Self.records(&random, disorder: 50_000)
      var expected: [String] = []
      for code in ["a", "b", "c", "d"] {
        let group = records.filter { $0.code == code }
        if !group.isEmpty { expected.append("\(code) \(Self.measured(group))") }
      }
      // Applied as upserts by group, the rows build the table.
      var table: [String: String] = [:]
      try Self.feed(arrival, &random) {
        try TableAggregateOperator(
          name: "t", schema: Self.output(windowed: false), input: Self.input, plan: Self.plan(nil),
          eventTime: "placed_at")
      } _: { batches in
        for row in Self.rows(batches) { table[String(row.prefix { $0 != " " })] = row }
      }
      #expect(table.values.sorted() == expected.sorted(), "seed \(random.seed)")
    }
  }

  static func hourly(_ late: WindowPlan.LatePolicy) throws -> WindowAggregateOperator {
    let window = WindowPlan(
      kind: .tumbling(sizeMilliseconds: 3_600_000), allowedLatenessMilliseconds: 600_000, late: late)
    return try WindowAggregateOperator(
      name: "hourly", schema: Self.output(windowed: true), input: Self.input, plan: Self.plan(window),
      eventTime: "placed_at")
  }

  /// One batch at these minutes (group "a"), then its end: the rows emitted and the
  /// dead letters.
  static func feed(_ op: WindowAggregateOperator, minutes: [Int64]) throws -> (rows: [String], letters: [DeadLetter]) {
    let batch = Self.batch(minutes.map { Record(code: "a", amount: $0, label: "x", time: $0 * 60_000) })
    let output = try op.process(batch)
    return (Self.rows(try op.endOfBatch().batches + output.batches), output.deadLetters)
  }

  @Test func lateRecordsAreDroppedDeadLetteredOrUpdateTheirWindow() throws {
    // The first hour closes when the watermark — latest time minus 10 minutes — passes 60.
    for policy in [WindowPlan.LatePolicy.drop, .deadLetter] {
      let op = try Self.hourly(policy)
      #expect(try Self.feed(op, minutes: [5, 65]).rows.isEmpty)
      #expect(try Self.feed(op, minutes: [80]).rows == ["a 0 3600000 1 5 x 5 x x 1"])
      let late = try Self.feed(op, minutes: [20, 90])
      #expect(late.rows.isEmpty)
      #expect(op.lateRecords == 1)
      if policy == .drop {
        #expect(late.letters.isEmpty)
      } else {
        #expect(late.letters.count == 1)
        #expect(
          late.letters.first?.reason.hasPrefix("late: its window closed at watermark 1970-01-01T01:10:00") == true)
        let record = String(decoding: late.letters.first?.record ?? [], as: UTF8.self)
        #expect(record.contains("\"amount\":20"), "\(record)")
      }
    }
    // update: emitted when the latest time passes the end, again when a record within
    // the lateness changes it, closed when the watermark passes; a snapshot keeps that.
    var op = try Self.hourly(.update)
    #expect(try Self.feed(op, minutes: [5]).rows.isEmpty)
    #expect(try Self.feed(op, minutes: [65]).rows == ["a 0 3600000 1 5 x 5 x x 1"])
    op = try OperatorRestart.restart(op, into: try Self.hourly(.update), memoryBudget: 64)
    #expect(try Self.feed(op, minutes: [20]).rows == ["a 0 3600000 2 25 x 20 x x 1"])
    #expect(try Self.feed(op, minutes: [66]).rows.isEmpty)
    #expect(try Self.feed(op, minutes: [75]).rows.isEmpty)
    #expect(try Self.feed(op, minutes: [30]).rows.isEmpty)
    #expect(op.lateRecords == 1)
  }

  /// With `late: update`, the rows upserted by group and window build the aggregate of
  /// every record, whatever their order within the lateness and however cut.
  @Test func updatedWindowsConvergeToTheAggregateOfEveryRecord() throws {
    var random = SeededRandom()
    let size: Int64 = 60_000
    for _ in 0..<120 {
      let (records, arrival) = Self.records(&random, disorder: 20_000)
      let latest = records.last?.time ?? 0
      var windows: [String: [Record]] = [:]
      for record in records where record.time.floorDivided(by: size) * size + size <= latest {
        let start = record.time.floorDivided(by: size) * size
        windows["\(record.code) \(start) \(start + size)", default: []].append(record)
      }
      let expected = windows.map { "\($0.key) \(Self.measured($0.value))" }
      var view: [String: String] = [:]
      let window = WindowPlan(
        kind: .tumbling(sizeMilliseconds: size), allowedLatenessMilliseconds: 20_000, late: .update)
      try Self.feed(arrival, &random) {
        try WindowAggregateOperator(
          name: "u", schema: Self.output(windowed: true), input: Self.input, plan: Self.plan(window),
          eventTime: "placed_at")
      } _: { batches in
        for row in Self.rows(batches) { view[row.split(separator: " ").prefix(2).joined(separator: " ")] = row }
      }
      #expect(view.values.sorted() == expected.sorted(), "seed \(random.seed)")
    }
  }

  /// Tumbling and hopping windows (late records dropped) give, window by window, the
  /// measures of the records they hold, across restarts that move the windows to RocksDB.
  @Test(arguments: [(60_000, 60_000), (60_000, 20_000)] as [(Int64, Int64)])
  func fixedWindowsHoldTheRecordsOfTheirSpan(_ size: Int64, _ advance: Int64) throws {
    var random = SeededRandom()
    let lateness: Int64 = 20_000
    var compared = 0
    for _ in 0..<80 {
      let (records, arrival) = Self.records(&random, disorder: lateness)
      let watermark = (records.last?.time ?? 0) - lateness
      var windows: [String: [Record]] = [:]
      for record in records {
        var start = record.time.floorDivided(by: advance) * advance
        while start > record.time - size {
          if start + size <= watermark {
            windows["\(record.code) \(start) \(start + size)", default: []].append(record)
          }
          start -= advance
        }
      }
      let expected = windows.map { "\($0.key) \(Self.measured($0.value.sorted { $0.time < $1.time }))" }
      var emitted: [String] = []
      let window = WindowPlan(
        kind: size == advance
          ? .tumbling(sizeMilliseconds: size) : .hopping(sizeMilliseconds: size, advanceMilliseconds: advance),
        allowedLatenessMilliseconds: lateness)
      try Self.feed(arrival, &random) {
        try WindowAggregateOperator(
          name: "w", schema: Self.output(windowed: true), input: Self.input, plan: Self.plan(window),
          eventTime: "placed_at")
      } _: { batches in
        emitted += Self.rows(batches)
      }
      #expect(emitted.sorted() == expected.sorted(), "seed \(random.seed)")
      compared += expected.count
    }
    #expect(compared > 500)
  }
}
