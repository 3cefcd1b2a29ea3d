import MeshData
import MeshDiagnostics
import MeshPlan
import Testing

/// The type checker over a schema with every kind of field: the type of each form of
/// the language, the conversions it makes explicit, and each mistake's code and place
/// in plain, quoted and block scalars.
struct ExpressionCheckerTests {
  @Test(arguments: [
    ("qty + 1", "int"),
    ("qty + big", "long"),
    ("qty + amount", "double"),
    ("qty * price", "decimal(18,2)"),
    ("price + price", "decimal(11,2)"),
    ("amount / qty", "double?"),
    ("big % 7", "long?"),
    ("-qty", "int"),
    ("placed_at + 1h", "timestamp-millis"),
    ("placed_at - placed_at", "duration"),
    ("day + 1", "date"),
    ("note IS NULL", "boolean"),
    ("note = 'x'", "boolean?"),
    ("customer.name", "string"),
    ("customer.address.city", "string?"),
    ("\"customer\".name || '!'", "string"),
    ("id || qty", "string"),
    ("status = 'paid'", "boolean"),
    ("status IN ('paid', 'shipped')", "boolean"),
    ("placed_at > '2026-01-01T00:00:00Z'", "boolean"),
    ("placed_at BETWEEN TIMESTAMP '2026-01-01T00:00:00Z' AND '2026-02-01T00:00:00Z'", "boolean"),
    ("day = DATE '2026-01-01'", "boolean"),
    ("qty BETWEEN 1 AND 10", "boolean"),
    ("id LIKE 'A%'", "boolean"),
    ("NOT paid OR qty > 1", "boolean"),
    ("coalesce(note, 'none')", "string"),
    ("coalesce(note, note)", "string?"),
    ("nullif(qty, 0)", "int?"),
    ("CASE WHEN qty > 1 THEN 'many' ELSE 'one' END", "string"),
    ("CASE WHEN qty > 1 THEN 1 WHEN qty > 10 THEN 2.5 END", "decimal(11,1)?"),
    ("CAST(amount AS decimal(12, 2))", "decimal(12,2)"),
    ("CAST(id AS bigint)", "long?"),
    ("CAST(qty AS string)", "string"),
    ("length(id)", "long"),
    ("upper(note)", "string?"),
    ("substr(id, 1, 3)", "string"),
    ("concat(id, note, qty)", "string"),
    ("starts_with(id, 'A')", "boolean"),
    ("round(amount, 2)", "double"),
    ("abs(price)", "decimal(10,2)"),
    ("sqrt(amount)", "double?"),
    ("greatest(qty, big)", "long"),
    ("date_trunc('month', placed_at)", "timestamp-millis"),
    ("date_part('hour', placed_at)", "long"),
    ("year(day)", "long"),
    ("date(placed_at)", "date"),
    ("sha256(email)", "string"),
    ("hmac(email, 'customer-email')", "string"),
    ("mask(email, 4)", "string"),
    ("redact(note)", "string?"),
    ("null", "null?"),
  ])
  func types(_ expression: String, _ expected: String) {
    #expect(CheckerFixture.derived(expression)?.type.description == expected, "\(expression)")
  }

  @Test func conversionsAreExplicitAndConstantsAreConverted() {
    // The column is compared as it is; the constant becomes a double.
    #expect(CheckerFixture.derived("amount >= 0")?.description == "amount >= 0.0")
    // A quoted time next to a timestamp-millis column becomes a time in milliseconds.
    #expect(
      CheckerFixture.derived("placed_at > '2026-01-01T00:00:00Z'")?.description
        == "placed_at > TIMESTAMP '2026-01-01T00:00:00.000Z'")
    if case .comparison(_, _, .literal(.timestamp(let value, let unit), _), _)? = CheckerFixture.derived(
      "placed_at > '2026-01-01T00:00:00Z'")
    {
      #expect(value == 1_767_225_600_000 && unit == .millis)
    } else {
      Issue.record("the constant is not a timestamp")
    }
    // An enum compares by symbol index; the printer shows the symbol.
    #expect(CheckerFixture.derived("status = 'paid'")?.description == "status = 'paid'")
    // Mixed operands get casts.
    #expect(CheckerFixture.derived("qty + amount")?.description == "CAST(qty AS double) + amount")
    #expect(CheckerFixture.derived("price > 1")?.description == "price > 1.00")
  }

  @Test func fieldsResolveToPositions() throws {
    let bound = try #require(CheckerFixture.derived("customer.address.city"))
    #expect(bound.fields == [FieldReference(path: [12, 1, 0], names: ["customer", "address", "city"])])
  }

  @Test func lineageRecordsTheFunctionsOnTheWay() throws {
    let mesh = CheckerFixture.mesh(
      transforms: "    - {name: last, from: raw, select: {e: 'sha256(lower(email))', q: qty, t: 'qty + big'}}"
    ).resolve()
    let step = try #require(mesh.plans.first?.step(named: "last"))
    #expect(
      step.lineage[0]
        == ColumnLineage(sources: [ColumnSource(step: "raw", column: "email")], functions: ["sha256", "lower"]))
    #expect(step.lineage[0].isMasked)
    #expect(step.schema.fields[0].pii == false)
    #expect(step.lineage[1] == ColumnLineage(sources: [ColumnSource(step: "raw", column: "qty")]))
    #expect(step.lineage[2].sources.map(\.column) == ["qty", "big"])
  }

  // MARK: Mistakes, each at its place

  private func filter(_ scalar: String) -> PlannerFixture {
    CheckerFixture.mesh(transforms: "    - name: last\n      from: raw\n      filter: \(scalar)")
  }

  @Test func syntaxErrorsPointInsideTheScalar() {
    CheckerFixture.expectOne(.expressionSyntax, in: filter("qty > 1 1️⃣)"), at: "1️⃣", message: "unexpected ')'")
    CheckerFixture.expectOne(.expressionSyntax, in: filter("\"qty >1️⃣\""), at: "1️⃣", message: "ends early")
    CheckerFixture.expectOne(
      .expressionSyntax, in: filter("|\n        qty > 1\n          AND 1️⃣# 2"), at: "1️⃣", message: "unexpected character")
  }

  @Test func unknownFieldsSuggestTheirNeighbour() {
    CheckerFixture.expectOne(.unknownField, in: filter("1️⃣stauts = 'paid'"), at: "1️⃣", message: "no field 'stauts'")
    CheckerFixture.expectOne(
      .unknownField, in: filter("'qty > 1 AND 1️⃣customer.adress.city = ''x'''"), at: "1️⃣",
      message: "'customer' has no field 'adress'")
    CheckerFixture.expectOne(
      .unknownField, in: filter("|\n        paid\n        AND 1️⃣qty.units > 1"), at: "1️⃣", message: "not a record")
    let mesh = filter("stauts = 'paid'").resolve()
    #expect(mesh.diagnostics.all.first?.help == "did you mean 'status'?")
  }

  @Test func unknownFunctionsSuggestTheirNeighbour() {
    CheckerFixture.expectOne(.unknownFunction, in: filter("1️⃣lenght(id) > 2"), at: "1️⃣")
    #expect(filter("lenght(id) > 2").resolve().diagnostics.all.first?.help == "did you mean 'length'?")
  }

  @Test(arguments: [
    "qty 1️⃣> 'many'",
    "id 1️⃣+ 1 > 0",
    "tags 1️⃣< tags",
    "1️⃣-id = 'x'",
    "qty IN (1, 1️⃣'a')",
    "id LIKE 1️⃣id",
    "CAST(tags AS 1️⃣string) = 'x'",
    "CAST(qty AS 1️⃣strnig) = 'x'",
  ])
  func typeMismatches(_ scalar: String) {
    CheckerFixture.expectOne(.typeMismatch, in: filter("\"\(scalar)\""), at: "1️⃣")
  }

  @Test(arguments: [
    "1️⃣lower(id, 2) = 'x'",
    "substr(id, 1️⃣'a') = 'x'",
    "round(1️⃣id) > 1",
    "date_trunc(1️⃣'fortnight', placed_at) > placed_at",
    "hmac(email, 1️⃣id) = 'x'",
    "hour(1️⃣day) = 1",
    "1️⃣lower(*) = 'x'",
  ])
  func invalidArguments(_ scalar: String) {
    CheckerFixture.expectOne(.invalidArguments, in: filter("\"\(scalar)\""), at: "1️⃣")
  }

  @Test func wallClockFunctionsAreRefused() {
    CheckerFixture.expectOne(.wallClockFunction, in: filter("\"placed_at > 1️⃣now()\""), at: "1️⃣")
    CheckerFixture.expectOne(.wallClockFunction, in: filter("\"1️⃣random() > 0.5\""), at: "1️⃣")
  }

  @Test func aggregatesOnlyInMeasures() {
    CheckerFixture.expectOne(.misplacedAggregate, in: filter("\"1️⃣sum(qty) > 1\""), at: "1️⃣", message: "does not have")
    let measures = { (measure: String) in
      CheckerFixture.mesh(
        transforms: """
              - name: last
                from: raw
                aggregate:
                  groupBy: [id]
                  measures: {m: "\(measure)"}
          """)
    }
    CheckerFixture.expectOne(.misplacedAggregate, in: measures("sum(1️⃣max(qty))"), at: "1️⃣", message: "inside another")
    CheckerFixture.expectOne(.misplacedAggregate, in: measures("sum(qty) + 1️⃣qty"), at: "1️⃣", message: "neither grouped")
    CheckerFixture.expectOne(.misplacedAggregate, in: measures("1️⃣upper(id)"), at: "1️⃣", message: "must aggregate")
    CheckerFixture.expectOne(.invalidArguments, in: measures("sum(1️⃣id)"), at: "1️⃣", message: "needs numbers")
    CheckerFixture.expectOne(.invalidArguments, in: measures("1️⃣sum(*)"), at: "1️⃣", message: "only count")
  }

  @Test(arguments: [
    "qty > 1️⃣99999999999999999999",
    "placed_at > 1️⃣TIMESTAMP '2026-13-01T00:00:00Z'",
    "day = 1️⃣DATE '2026-01'",
    "placed_at > 1️⃣'yesterday'",
    "status = 1️⃣'payed'",
    "amount > 1️⃣1234567890.1234567890",
  ])
  func invalidLiterals(_ scalar: String) {
    CheckerFixture.expectOne(.invalidLiteral, in: filter("\"\(scalar)\""), at: "1️⃣")
  }

  @Test func aSymbolThatIsNotInTheEnumSuggestsOne() {
    #expect(filter("\"status = 'shiped'\"").resolve().diagnostics.all.first?.help == "did you mean 'shipped'?")
  }

  @Test func conditionsMustBeBooleans() {
    CheckerFixture.expectOne(.notBoolean, in: filter("1️⃣qty + 1"), at: "1️⃣", message: "a filter must be a boolean")
    CheckerFixture.expectOne(.notBoolean, in: filter("\"paid AND 1️⃣qty\""), at: "1️⃣", message: "an operand of AND")
    CheckerFixture.expectOne(
      .notBoolean, in: filter("\"CASE WHEN 1️⃣id THEN 1 ELSE 2 END = 1\""), at: "1️⃣", message: "a WHEN condition")
    let quality = CheckerFixture.mesh(
      transforms: "    - {name: last, from: raw, filter: paid}", quality: "[{name: q, check: 1️⃣id, onFail: warn}]")
    CheckerFixture.expectOne(.notBoolean, in: quality, at: "1️⃣", message: "a quality check must be a boolean")
  }

  @Test func oneMistakeGivesOneDiagnostic() {
    // The unknown field makes the comparison, the AND and the filter unknown: no cascade.
    let mesh = filter("\"stauts = 'x' AND qty > 1 OR paid\"").resolve()
    #expect(mesh.diagnostics.all.map(\.code) == [.unknownField])
  }

  @Test func quotedFieldNamesReachAnyName() {
    #expect(CheckerFixture.derived("\"qty\" + 1")?.type.description == "int")
  }
}
