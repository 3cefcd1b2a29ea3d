import MeshData
import MeshDiagnostics
import MeshPlan
import Testing

/// The planner's checks, each code once and at its place: contracts, join keys, shared
/// identifiers, event time, the fields keys name, unions; and the schemas it computes.
struct PlannerChecksTests {
  static let orderSchema = #"""
    {"type": "record", "name": "Order", "fields": [
      {"name": "id", "type": "string"},
      {"name": "total", "type": "double"},
      {"name": "channel", "type": ["null", "string"], "default": null}]}
    """#

  private func contract(_ select: String) -> PlannerFixture {
    CheckerFixture.mesh(
      transforms: "    - name: last\n      from: raw\n      select:\n\(select)",
      outputs: "[{name: stream, kind: stream, from: last, schema: 1️⃣schemas/order.avsc}]",
      extra: ["schemas/order.avsc": Self.orderSchema])
  }

  @Test func aSelectThatProducesTheContractPasses() throws {
    let mesh = contract("        id: id\n        total: qty * amount\n        channel: \"null\"").resolve()
    #expect(mesh.diagnostics.isEmpty, "\(mesh.diagnostics.all.map(\.message))")
    let plan = try #require(mesh.plans.first)
    #expect(plan.outputs.first?.topic == "sales.orders.stream")
    #expect(plan.step(named: "last")?.schema.fields.map(\.type) == [.string, .float64, .null])
  }

  @Test func contractMistakesNameTheField() {
    CheckerFixture.expectOne(
      .contractFieldMissing, in: contract("        id: id\n        total: amount"), at: "1️⃣",
      message: "promises field 'channel'")
    CheckerFixture.expectOne(
      .contractFieldExtra,
      in: contract("        id: id\n        total: amount\n        channel: note\n        2️⃣qty: qty"),
      at: "2️⃣", message: "produces field 'qty'")
    CheckerFixture.expectOne(
      .contractFieldType, in: contract("        id: id\n        2️⃣total: id\n        channel: note"), at: "2️⃣",
      message: "'total' is a string")
    CheckerFixture.expectOne(
      .contractFieldType, in: contract("        2️⃣id: note\n        total: amount\n        channel: note"), at: "2️⃣",
      message: "'id' may be null")
  }

  @Test func nestedContractFieldsAreNamedByPath() {
    let schema = #"""
      {"type": "record", "name": "Out", "fields": [{"name": "customer", "type": {"type": "record", "name": "C",
        "fields": [{"name": "name", "type": "string"}, {"name": "zip", "type": "string"}]}}]}
      """#
    let fixture = CheckerFixture.mesh(
      transforms: "    - {name: last, from: raw, select: {customer: customer}}",
      outputs: "[{name: stream, kind: stream, from: last, schema: schemas/out.avsc}]",
      extra: ["schemas/out.avsc": schema])
    let messages = fixture.resolve().diagnostics.all.map { "\($0.code.id) \($0.message)" }
    #expect(messages.contains { $0.hasPrefix("E0801") && $0.contains("'customer.zip'") }, "\(messages)")
    #expect(messages.contains { $0.hasPrefix("E0802") && $0.contains("'customer.address'") }, "\(messages)")
  }

  /// The raw input joined with a second file input of schema `other` on `on`.
  static func joined(other: String, on: String, options: String = "") -> PlannerFixture {
    PlannerFixture.mesh([
      "schemas/raw.avsc": CheckerFixture.rawSchema, "schemas/other.avsc": other,
      "products/orders.yaml": """
      apiVersion: meshc/v1
      kind: DataProduct
      metadata: {name: orders, domain: sales, owner: {team: t, email: t@example.com}, lifecycle: published, description: D.}
      spec:
        inputs:
          - {name: raw, format: csv, path: a/*.csv, schema: schemas/raw.avsc, eventTime: placed_at}
          - {name: other, format: csv, path: b/*.csv, schema: schemas/other.avsc}
        transforms:
          - {name: last, join: {left: raw, right: other, on: \(on), kind: stream-table\(options)}}
        outputs: [{name: files, kind: batch, from: last, format: csv, path: out/}]
      """,
    ])
  }

  @Test func joinKeysExistOnBothSidesWithOneType() {
    let other =
      #"{"type": "record", "name": "O", "fields": [{"name": "id", "type": "long"}, {"name": "x", "type": "int"}]}"#
    CheckerFixture.expectOne(
      .joinKey, in: Self.joined(other: other, on: "1️⃣qty"), at: "1️⃣", message: "not a field of 'other'")
    CheckerFixture.expectOne(
      .joinKey, in: Self.joined(other: other, on: "1️⃣id"), at: "1️⃣",
      message: "is a string in 'raw' but a long in 'other'")
  }

  /// A name both sides have keeps the left's field, or the right's with `clash: right`;
  /// `rightPrefix` names the right's fields apart; a left join makes them nullable.
  @Test func joinedFieldsFollowTheClashRuleAndThePrefix() throws {
    let other = #"""
      {"type": "record", "name": "O", "fields": [{"name": "id", "type": "string"}, {"name": "qty", "type": "long"},
        {"name": "x", "type": "int"}]}
      """#
    func fields(_ options: String) throws -> [String] {
      let resolved = Self.joined(other: other, on: "id", options: options).resolve()
      #expect(!resolved.diagnostics.hasErrors, "\(resolved.diagnostics.all.map(\.message))")
      let step = try #require(resolved.plans.first?.step(named: "last"))
      guard case .join(let plan) = step.operation else { return [] }
      return zip(step.schema.fields, plan.columns).map {
        "\($0.name):\($0.type)\($0.nullable ? "?" : "") \($1.side.rawValue)"
      }
    }
    let left = try fields("")
    #expect(left.prefix(2) == ["id:string left", "qty:int left"])
    #expect(left.last == "x:int right")
    let right = try fields(", clash: right, type: left")
    #expect(right.prefix(2) == ["id:string left", "qty:long? right"])
    #expect(right.last == "x:int? right")
    let prefixed = try fields(", rightPrefix: o_")
    #expect(prefixed.suffix(2) == ["o_qty:long right", "o_x:int right"])
    #expect(prefixed.filter { $0.hasPrefix("id:") || $0.hasPrefix("o_id") } == ["id:string left"])
  }

  @Test func sharedIdentifiersKeepTheirType() {
    let fixture = PlannerFixture(
      [
        "mesh.yaml": PlannerFixture.meshFile + "\n  sharedIdentifiers:\n    customer_id: {type: 2️⃣string}",
        "schemas/raw.avsc": CheckerFixture.rawSchema,
        "products/orders.yaml": CheckerFixture.product(
          transforms: "    - {name: last, from: raw, select: {id: id, 1️⃣customer_id: qty}}"),
      ])
    CheckerFixture.expectOne(.sharedIdentifierType, in: fixture, at: "1️⃣", message: "shared identifier of type string")
    let note = fixture.resolve().diagnostics.all.first?.notes.first
    #expect(note?.range?.start == fixture["2️⃣"]?.location)
  }

  @Test func windowsAndDedupeNeedAnEventTime() {
    let window = CheckerFixture.mesh(
      transforms: """
            - name: last
              from: raw
              aggregate:
                groupBy: [id]
                window: 1️⃣{tumbling: 1h}
                measures: {n: count(*)}
        """, eventTime: "")
    CheckerFixture.expectOne(.noEventTime, in: window, at: "1️⃣", message: "a window needs an event time")
    let dedupe = CheckerFixture.mesh(
      transforms: "    - {name: last, from: raw, dedupe: {key: [id], within: 1️⃣1h}}", eventTime: "")
    CheckerFixture.expectOne(.noEventTime, in: dedupe, at: "1️⃣")
    let wrongType = CheckerFixture.mesh(
      transforms: "    - {name: last, from: raw, filter: paid}", eventTime: "eventTime: 1️⃣id")
    CheckerFixture.expectOne(.noEventTime, in: wrongType, at: "1️⃣", message: "not a timestamp")
  }

  @Test func keysNameProducedFields() {
    CheckerFixture.expectOne(
      .unknownColumn,
      in: CheckerFixture.mesh(transforms: "    - {name: last, from: raw, dedupe: {key: [1️⃣ids], within: 1h}}"),
      at: "1️⃣", message: "the dedupe key names 'ids'")
    CheckerFixture.expectOne(
      .unknownColumn,
      in: CheckerFixture.mesh(
        transforms: "    - {name: last, from: raw, aggregate: {groupBy: [1️⃣country], measures: {n: count(*)}}}"),
      at: "1️⃣", message: "groupBy names 'country'")
    CheckerFixture.expectOne(
      .unknownColumn,
      in: CheckerFixture.mesh(
        transforms: "    - {name: last, from: raw, filter: paid}",
        outputs: "[{name: s, kind: stream, from: last, key: 1️⃣order_id, schema: schemas/raw.avsc}]"),
      at: "1️⃣", message: "the key of port 's'")
    CheckerFixture.expectOne(
      .unknownColumn,
      in: CheckerFixture.mesh(
        transforms: "    - {name: last, from: raw, filter: paid}", eventTime: "eventTime: 1️⃣placed"),
      at: "1️⃣", message: "no field 'placed'")
  }

  @Test func partitionByNamesATimeFieldAndAUnit() throws {
    let port = { (partition: String) in
      CheckerFixture.mesh(
        transforms: "    - {name: last, from: raw, filter: paid}",
        outputs: "[{name: files, kind: batch, from: last, format: csv, path: out/, partitionBy: 1️⃣'\(partition)'}]")
    }
    let good = port("day(placed_at)").resolve()
    #expect(good.diagnostics.isEmpty, "\(good.diagnostics.all.map(\.message))")
    #expect(good.plans.first?.outputs.first?.partitionBy?.description == "day(placed_at)")
    #expect(port("status").resolve().diagnostics.isEmpty)
    CheckerFixture.expectOne(
      .invalidValue, in: port("week(placed_at)"), at: "1️⃣", message: "not year, month, day or hour")
    CheckerFixture.expectOne(.invalidValue, in: port("month(id)"), at: "1️⃣", message: "but it is a string")
    CheckerFixture.expectOne(.unknownColumn, in: port("day(placed)"), at: "1️⃣", message: "partitionBy of port 'files'")
  }

  @Test func aWindowedAggregateHasItsKeysBoundsAndMeasures() throws {
    let mesh = CheckerFixture.mesh(
      transforms: """
            - name: last
              from: raw
              aggregate:
                groupBy: [id]
                window: {hopping: 1h, advance: 15m, allowedLateness: 5m}
                measures: {revenue: sum(price), orders: count(*), mean: avg(qty), first_note: first(note)}
        """
    ).resolve()
    #expect(mesh.diagnostics.isEmpty, "\(mesh.diagnostics.all.map(\.message))")
    let step = try #require(mesh.plans.first?.step(named: "last"))
    #expect(
      step.schema.fields.map { "\($0.name) \($0.type)\($0.nullable ? "?" : "")" } == [
        "id string", "window_start timestamp-millis", "window_end timestamp-millis", "revenue decimal(18,2)",
        "orders long", "mean double", "first_note string?",
      ])
    guard case .aggregate(let plan) = step.operation else {
      Issue.record("not an aggregate")
      return
    }
    #expect(
      plan.window
        == WindowPlan(
          kind: .hopping(sizeMilliseconds: 3_600_000, advanceMilliseconds: 900_000),
          allowedLatenessMilliseconds: 300_000))
  }

  @Test func unionInputsHaveTheSameFields() {
    let union = { (second: String) in
      CheckerFixture.mesh(
        transforms: """
              - {name: a, from: raw, select: {id: id, n: qty}}
              - {name: b, from: raw, select: \(second)}
              - {name: last, union: [a, 1️⃣b]}
          """)
    }
    CheckerFixture.expectOne(.unionMismatch, in: union("{id: id, m: qty}"), at: "1️⃣", message: "has fields")
    CheckerFixture.expectOne(.unionMismatch, in: union("{id: id, n: paid}"), at: "1️⃣", message: "field 'n' is a boolean")
    let widened = union("{id: id, n: big}").resolve()
    #expect(widened.diagnostics.isEmpty)
    #expect(widened.plans.first?.step(named: "last")?.schema.fields.last?.type == .int64)
  }

  @Test func aJoinHasTheLeftFieldsThenTheRightsOthers() throws {
    let other =
      #"{"type": "record", "name": "O", "fields": [{"name": "id", "type": "string"}, {"name": "vip", "type": "boolean"}]}"#
    let mesh = Self.joined(other: other, on: "id").resolve()
    #expect(mesh.diagnostics.isEmpty, "\(mesh.diagnostics.all.map(\.message))")
    let step = try #require(mesh.plans.first?.step(named: "last"))
    #expect(step.schema.fields.count == 14)
    #expect(step.schema.fields.last?.name == "vip")
  }
}

/// PII taint through steps and across products, and cycles between products.
struct PIIAndCycleTests {
  static let meshFile = PlannerFixture.meshFile + "\n  requirePiiMasking: true"
  static let port =
    #"{"type": "record", "name": "P", "fields": [{"name": "id", "type": "string"}, {"name": "email", "type": "string", "pii": true}]}"#

  static func profiles(email: String, access: String) -> String {
    """
    apiVersion: meshc/v1
    kind: DataProduct
    metadata: {name: profiles, domain: sales, owner: {team: t, email: t@example.com}, lifecycle: published, description: D.}
    spec:
      inputs:
        - {name: raw, format: csv, path: a/*.csv, schema: schemas/raw.avsc, eventTime: placed_at}
      transforms:
        - {name: masked, from: raw, select: {id: id, email: '\(email)'}}
        - {name: kept, from: masked, filter: "id <> ''"}
      outputs:
        - {name: changes, kind: stream, from: 1️⃣kept, schema: schemas/p.avsc}
      access: \(access)
    """
  }

  static let promotions = """
    apiVersion: meshc/v1
    kind: DataProduct
    metadata: {name: promos, domain: marketing, owner: {team: t, email: t@example.com}, lifecycle: draft, description: D.}
    spec:
      inputs:
        - {name: people, product: sales.profiles, port: changes}
      transforms:
        - {name: out, from: people, select: {id: id, address: email}}
      outputs:
        - {name: files, kind: batch, from: 2️⃣out, format: csv, path: out/}
      access: [{consumer: mail, ports: [files], pii: masked}]
    """

  private func mesh(email: String, access: String = "[{consumer: c, ports: [changes], pii: masked}]") -> PlannerFixture
  {
    PlannerFixture([
      "mesh.yaml": Self.meshFile, "schemas/raw.avsc": CheckerFixture.rawSchema, "schemas/p.avsc": Self.port,
      "products/profiles.yaml": Self.profiles(email: email, access: access),
      "products/promos.yaml": Self.promotions,
    ])
  }

  @Test func maskedPIIPasses() {
    for masking in ["mask(email)", "sha256(lower(email))", "hmac(email, ''k'')", "redact(email)"] {
      let mesh = mesh(email: masking).resolve()
      #expect(mesh.diagnostics.isEmpty, "\(masking): \(mesh.diagnostics.all.map(\.message))")
    }
  }

  @Test func unmaskedPIINamesItsPath() {
    CheckerFixture.expectOne(
      .piiUnmasked, in: mesh(email: "upper(email)"), at: "1️⃣",
      message: "sales.profiles.changes.email ← kept.email ← masked.email ← raw.email")
  }

  @Test func clearGrantsLetPIIThroughAndTaintTheConsumers() {
    // Every grant on `changes` allows clear, so it passes there; the consumer that
    // republishes it to a `masked` grant is the one in the wrong.
    CheckerFixture.expectOne(
      .piiUnmasked, in: mesh(email: "email", access: "[{consumer: c, ports: [changes], pii: clear}]"), at: "2️⃣",
      message: "marketing.promos.files.address ← out.address ← people.email ← sales.profiles.changes.email")
  }

  @Test func countingHidesValues() throws {
    let fixture = PlannerFixture([
      "mesh.yaml": Self.meshFile, "schemas/raw.avsc": CheckerFixture.rawSchema,
      "products/orders.yaml": CheckerFixture.product(
        transforms:
          "    - {name: last, from: raw, aggregate: {groupBy: [id], measures: {n: count_distinct(email), e: 1️⃣max(email)}}}"
      ),
    ])
    let messages = fixture.resolve().diagnostics.all.map(\.message)
    #expect(messages.count == 1 && messages[0].contains("files.e ←"), "\(messages)")
  }

  @Test func productsReadingEachOtherAreACycle() {
    let reader = { (name: String, reads: String) in
      """
      apiVersion: meshc/v1
      kind: DataProduct
      metadata: {name: \(name), domain: sales, owner: {team: t, email: t@example.com}, lifecycle: published, description: D.}
      spec:
        inputs:
          - {name: up, product: \(reads), port: stream}
        outputs:
          - {name: stream, kind: stream, from: up, schema: schemas/order.avsc}
      """
    }
    let fixture = PlannerFixture.mesh([
      "products/a.yaml": reader("a", "1️⃣sales.b"),
      "products/b.yaml": reader("b", "sales.c"),
      "products/c.yaml": reader("c", "sales.a"),
    ])
    CheckerFixture.expectOne(.productCycle, in: fixture, at: "1️⃣", message: "sales.a → sales.b → sales.c → sales.a")
  }
}

/// The physical plan: keyed operators are partitioned by their keys and keep a state
/// store that lives as long as their window; sources and sinks are checkpointed.
struct LoweringTests {
  @Test func keyedOperatorsArePartitionedAndKeepState() throws {
    let mesh = CheckerFixture.mesh(
      transforms: """
            - {name: unique, from: raw, dedupe: {key: [id], within: 1h}}
            - name: last
              from: unique
              aggregate:
                groupBy: [status]
                window: {tumbling: 1d, allowedLateness: 1h}
                measures: {n: count(*)}
        """
    ).resolve()
    #expect(mesh.diagnostics.isEmpty, "\(mesh.diagnostics.all.map(\.message))")
    let physical = try #require(mesh.plans.first?.physical)
    #expect(physical.operators.map(\.kind) == [.fileSource, .dedupe, .windowAggregate, .fileSink])
    #expect(physical.operators[1].partitionBy == ["id"])
    #expect(physical.operators[2].partitionBy == ["status"])
    #expect(physical.operators.filter(\.checkpointed).map(\.name) == ["raw", "port files"])
    #expect(
      physical.stateStores == [
        StateStore(name: "unique.seen", kind: .seenKeys, key: ["id"], retentionMilliseconds: 3_600_000),
        StateStore(
          name: "last.windows", kind: .windows, key: ["status", "window_start"], retentionMilliseconds: 90_000_000),
      ])
  }
}
