import MeshData
import MeshPlan
import MeshPlanner
import MeshRuntime
import MeshTestSupport
import Testing

@Suite struct OperatorTests {
  static func bound(_ text: String, _ kind: StandaloneExpression.Kind = .condition) throws -> BoundExpression {
    try StandaloneExpression.check(text, against: TestBatches.schema, as: kind).get()
  }

  static let rows: [[ScalarValue]] = [
    [
      .integer(1), .integer(10), .double(1.5), .null, .string("a"), .string("x"), .boolean(true), .integer(0), .null,
      .integer(0),
    ],
    [.integer(-2), .integer(20), .null, .null, .null, .string("y"), .boolean(false), .integer(1), .null, .integer(1)],
    [
      .null, .integer(Int64.max), .double(3), .null, .string("c"), .string("z"), .null, .integer(2), .null, .integer(2),
    ],
  ]

  @Test func filterNarrowsTheSelectionAndDeadLettersWhatCannotCompute() throws {
    let batch = TestBatches.batch(Self.rows)
    let filter = try FilterOperator(name: "valid", condition: try Self.bound("qty > 0"))
    let output = try filter.process(batch)
    #expect(output.batches.first?.rows == [0])
    let overflow = try FilterOperator(name: "sum", condition: try Self.bound("big + 1 > 0"))
    let failed = try overflow.process(batch)
    #expect(failed.batches.first?.rows == [0, 1])
    #expect(failed.deadLetters.map(\.step) == ["sum"])
    #expect(
      failed.deadLetters.first?.record.starts(with: Array(#"{"qty":null,"big":9223372036854775807"#.utf8)) == true)
  }

  @Test func projectComputesEachFieldOverTheSelectedRows() throws {
    var batch = TestBatches.batch(Self.rows)
    batch.selection = [0, 1]
    let schema = RecordSchema(
      name: "Out",
      fields: [
        DataField(name: "code", type: .string, nullable: false),
        DataField(name: "twice", type: .int64, nullable: false),
      ])
    let project = try ProjectOperator(
      name: "out", schema: schema, expressions: [try Self.bound("code", .value), try Self.bound("big * 2", .value)])
    let output = try #require(try project.process(batch).batches.first)
    #expect(output.rows == [0, 1])
    #expect(output.columns[0].string(1) == "y")
    if case .int64(let values) = output.columns[1].values { #expect(Array(values.prefix(2)) == [20, 40]) }
  }

  @Test func qualityRulesCountAndActAsTheySay() throws {
    let batch = TestBatches.batch(Self.rows)
    func check(_ name: String, _ onFail: String, _ text: String) throws -> QualityCheck {
      QualityCheck(name: name, onFail: onFail, step: "out", condition: try Self.bound(text))
    }
    let rules = try QualityCheckOperator(
      name: "quality",
      checks: [
        try check("positive", "dead-letter", "qty > 0"), try check("named", "warn", "name IS NOT NULL"),
      ])
    let output = try rules.process(batch)
    #expect(output.batches.first?.rows == [0])
    #expect(output.failedChecks == ["positive": 2])
    #expect(output.deadLetters.map(\.reason) == ["quality rule positive failed", "quality rule positive failed"])
    let dropping = try QualityCheckOperator(name: "quality", checks: [try check("paid", "drop", "paid")])
    let dropped = try dropping.process(batch)
    #expect(dropped.dropped == ["paid": 2])
    #expect(dropped.batches.first?.rows == [0])
    let failing = try QualityCheckOperator(name: "quality", checks: [try check("small", "fail", "big < 15")])
    #expect(throws: RunFailure.self) { try failing.process(batch) }
  }

  @Test func dedupeKeepsTheFirstOfEachKeyWithinItsWindowAndSurvivesACheckpoint() throws {
    let rows: [[ScalarValue]] = [0, 30, 61, 90].map { minute in
      [
        .integer(1), .integer(1), .null, .null, .null, .string("k"), .null, .integer(Int64(minute) * 60_000), .null,
        .integer(0),
      ]
    }
    let key = [FieldReference(path: [5], names: ["code"])]
    let dedupe = try DedupeOperator(
      name: "unique", schema: TestBatches.schema, key: key, withinMilliseconds: 3_600_000, eventTime: "placed_at")
    let first = try dedupe.process(TestBatches.batch(Array(rows.prefix(2))))
    #expect(first.batches.first?.rows == [0])
    #expect(first.dropped == ["unique": 1])
    let restored = try OperatorRestart.restart(
      dedupe,
      into: try DedupeOperator(
        name: "unique", schema: TestBatches.schema, key: key, withinMilliseconds: 3_600_000, eventTime: "placed_at"))
    // 61 minutes after the first: a new window; 90 is within an hour of 61.
    let second = try restored.process(TestBatches.batch(Array(rows.suffix(2))))
    #expect(second.batches.first?.rows == [0])
    #expect(throws: RunFailure.self) { try restored.restore([0xFF]) }
  }

  /// Thousands of keys in event-time order, cut into random batches, restarted at random
  /// points (half of the time into RocksDB): exactly the records a dictionary that
  /// forgets nothing lets through — sweeping old keys out changes nothing.
  @Test func dedupeOfManyKeysMatchesAModelAcrossRestartsAndSweeps() throws {
    var random = SeededRandom()
    let within: Int64 = 5_000
    func make() throws -> DedupeOperator {
      try DedupeOperator(
        name: "unique", schema: TestBatches.schema, key: [FieldReference(path: [5], names: ["code"])],
        withinMilliseconds: within, eventTime: "placed_at")
    }
    var time: Int64 = 0
    let records: [(code: String, time: Int64)] = (0..<30_000).map { _ in
      time += Int64.random(in: 0...3, using: &random)
      return ("k\(Int.random(in: 0..<4_000, using: &random))", time)
    }
    var last: [String: Int64] = [:]
    var expected: [Int] = []
    for (index, record) in records.enumerated() {
      if let seen = last[record.code], record.time - seen < within, record.time >= seen { continue }
      last[record.code] = record.time
      expected.append(index)
    }
    var op = try make()
    var got: [Int] = []
    var start = 0
    while start < records.count {
      let end = min(records.count, start + Int.random(in: 1...2_000, using: &random))
      let rows: [[ScalarValue]] = records[start..<end].map { record in
        [
          .null, .integer(0), .null, .null, .null, .string(record.code), .null, .integer(record.time), .null,
          .integer(0),
        ]
      }
      let output = try op.process(TestBatches.batch(rows))
      got += (output.batches.first?.rows ?? []).map { start + $0 }
      start = end
      if Int.random(in: 0..<4, using: &random) == 0 {
        op = try OperatorRestart.restart(
          op, into: try make(), memoryBudget: Bool.random(using: &random) ? 64 : 256 << 20)
      }
    }
    #expect(got == expected)
  }

  @Test func windowsCloseWhenTheWatermarkPassesAndLateRecordsAreCounted() throws {
    let schema = RecordSchema(
      name: "T",
      fields: [
        DataField(name: "code", type: .string, nullable: false),
        DataField(name: "big", type: .int64, nullable: false),
        DataField(name: "placed_at", type: .timestamp(.millis, utc: true), nullable: false),
      ])
    func batch(_ rows: [(String, Int64, Int64)]) -> RecordBatch {
      TestBatches.batch(rows.map { [.string($0.0), .integer($0.1), .integer($0.2 * 60_000)] }, schema: schema)
    }
    let output = RecordSchema(
      name: "O",
      fields: [
        DataField(name: "code", type: .string, nullable: false),
        DataField(name: "window_start", type: .timestamp(.millis, utc: true), nullable: false),
        DataField(name: "window_end", type: .timestamp(.millis, utc: true), nullable: false),
        DataField(name: "total", type: .int64, nullable: true),
        DataField(name: "orders", type: .int64, nullable: false),
      ])
    let big = BoundExpression.field(FieldReference(path: [1], names: ["big"]), ValueType(.int64, nullable: false))
    let plan = AggregatePlan(
      groupBy: [FieldReference(path: [0], names: ["code"])],
      window: WindowPlan(kind: .tumbling(sizeMilliseconds: 3_600_000), allowedLatenessMilliseconds: 600_000),
      measures: [
        .aggregate(.sum, big, ValueType(.int64, nullable: true)),
        .aggregate(.count, nil, ValueType(.int64, nullable: false)),
      ])
    let windows = try WindowAggregateOperator(
      name: "hourly", schema: output, input: schema, plan: plan, eventTime: "placed_at")
    /// A batch, then the end of it, when the watermark moves.
    func feed(_ op: WindowAggregateOperator, _ rows: [(String, Int64, Int64)]) throws -> [RecordBatch] {
      #expect(try op.process(batch(rows)).batches.isEmpty)
      return try op.endOfBatch().batches
    }
    #expect(try feed(windows, [("a", 1, 5), ("b", 2, 10), ("a", 3, 50)]).isEmpty)
    // 70 minutes: the watermark (60) reaches the first hour's end.
    let first = try #require(try feed(windows, [("a", 4, 70)]).first)
    #expect(first.rowCount == 2)
    #expect(first.columns[0].string(0) == "a")
    if case .int64(let totals) = first.columns[3].values { #expect(totals == [4, 2]) }
    let restored = try OperatorRestart.restart(
      windows,
      into: try WindowAggregateOperator(
        name: "hourly", schema: output, input: schema, plan: plan, eventTime: "placed_at"))
    #expect(try feed(restored, [("a", 9, 20)]).isEmpty)
    #expect(restored.lateRecords == 1)
    let second = try #require(try feed(restored, [("c", 1, 200)]).first)
    if case .int64(let totals) = second.columns[3].values { #expect(totals == [4]) }
  }
}
