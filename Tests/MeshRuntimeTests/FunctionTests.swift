import MeshData
import MeshPlan
import MeshPlanner
import Testing

@testable import MeshRuntime

/// Functions and casts the random agreement test does not reach, each against a value
/// worked out by hand (or by DuckDB, where noted), on one row of TestBatches.schema:
/// qty 7, big -12, amount 2.5, price 12.34, name 'Ünïcode x', code 'SHOE-42',
/// paid NULL, placed_at 2024-02-29T13:45:30.123Z, day 1969-12-31, status 'paid'.
struct FunctionTests {
  static let row: [ScalarValue] = [
    .integer(7), .integer(-12), .double(2.5), .decimal(unscaled: 1234, scale: 2), .string("Ünïcode x"),
    .string("SHOE-42"), .null, .timestamp(1_709_214_330_123, .millis), .date(days: -1), .integer(1),
  ]

  static func value(_ text: String) throws -> ScalarValue {
    let bound = try StandaloneExpression.check(text, against: TestBatches.schema, as: .value).get()
    var context = EvaluationContext()
    let column = try CompiledExpression(bound, keys: KeyRing(["MESHC_KEY_PEPPER": Array("secret".utf8)]))
      .evaluate(TestBatches.batch([row]), &context)
    #expect(context.failures.isEmpty, "\(text): \(context.failures)")
    return TestBatches.value(column, 0)
  }

  @Test(arguments: [
    ("length(name)", ScalarValue.integer(9)),
    ("upper(name)", .string("ÜNÏCODE X")),
    ("lower(code)", .string("shoe-42")),
    ("substr(name, 2, 3)", .string("nïc")),
    ("substr(code, 0, 2)", .string("S")),
    ("left(code, -3)", .string("SHOE")),
    ("right(name, 1)", .string("x")),
    ("trim('  a b ')", .string("a b")),
    ("replace(code, '-', '--')", .string("SHOE--42")),
    ("concat(code, paid, qty)", .string("SHOE-427")),
    ("ends_with(code, '42')", .boolean(true)),
    ("contains(name, 'ïc')", .boolean(true)),
    ("code LIKE 'SHOE-__'", .boolean(true)),
    ("name LIKE '_n%x'", .boolean(true)),
    ("name LIKE '%z%'", .boolean(false)),
    ("date_trunc('month', placed_at)", .timestamp(1_706_745_600_000, .millis)),
    ("date_trunc('week', placed_at)", .timestamp(1_708_905_600_000, .millis)),  // Monday 2024-02-26
    ("date_trunc('quarter', placed_at)", .timestamp(1_704_067_200_000, .millis)),
    ("date_trunc('hour', placed_at)", .timestamp(1_709_211_600_000, .millis)),
    ("date_part('doy', placed_at)", .integer(60)),
    ("date_part('dow', placed_at)", .integer(4)),  // a Thursday
    ("date_part('week', placed_at)", .integer(9)),
    ("date_part('millisecond', placed_at)", .integer(123)),
    ("date_part('epoch', placed_at)", .integer(1_709_214_330)),
    ("year(day)", .integer(1969)),
    ("day(day)", .integer(31)),
    ("date_part('week', day)", .integer(1)),  // 1969-12-31 is in ISO week 1 of 1970
    ("date_trunc('week', day)", .date(days: -3)),
    ("hour(placed_at)", .integer(13)),
    ("second(placed_at)", .integer(30)),
    ("date(placed_at)", .date(days: 19782)),
    ("CAST(placed_at AS string)", .string("2024-02-29T13:45:30.123Z")),
    ("CAST(day AS string)", .string("1969-12-31")),
    ("CAST(price AS string)", .string("12.34")),
    ("CAST(price AS int)", .integer(12)),
    ("CAST(-2.5 AS int)", .integer(-3)),
    ("CAST('12.345' AS decimal(6, 2))", .decimal(unscaled: 1235, scale: 2)),
    ("CAST(' 42 ' AS int)", .integer(42)),
    ("CAST('4x' AS int)", .null),
    ("CAST('2024-02-29T13:45:30.123+01:00' AS timestamp)", .timestamp(1_709_210_730_123_000, .micros)),
    ("CAST(status AS string)", .string("paid")),
    ("round(price, 1)", .decimal(unscaled: 1230, scale: 2)),
    ("floor(-price)", .decimal(unscaled: -1300, scale: 2)),
    ("ceil(price)", .decimal(unscaled: 1300, scale: 2)),
    ("round(amount)", .double(3)),
    ("power(amount, 2)", .double(6.25)),
    ("sqrt(-amount)", .null),
    ("greatest(qty, big, 3)", .integer(7)),
    ("least(amount, price)", .double(2.5)),
    ("coalesce(paid, TRUE)", .boolean(true)),
    ("nullif(code, 'SHOE-42')", .null),
    ("big % 5", .integer(-2)),
    ("qty / 0", .null),
    ("placed_at - 1d", .timestamp(1_709_127_930_123, .millis)),
    ("placed_at - TIMESTAMP '2024-02-29T00:00:00Z'", .duration(micros: 49_530_123_000)),
    ("mask(code, 2)", .string("*****42")),
    ("mask(name)", .string("*********")),
    ("redact(code)", .string("[redacted]")),
    // echo -n 'SHOE-42' | sha256sum; HMAC with the key 'secret' (openssl dgst -sha256 -hmac secret)
    ("sha256(code)", .string("168ba26535ed474187b45deb2e5166de5c029b13ab16c989a621abda2fcd2e32")),
  ])
  func computes(_ text: String, _ expected: ScalarValue) throws {
    #expect(try Self.value(text) == expected, "\(text)")
  }

  @Test func hmacUsesTheNamedKeyFromTheEnvironment() throws {
    let mac = try Self.value("hmac(code, 'pepper')")
    guard case .string(let hex) = mac else {
      Issue.record("not a string")
      return
    }
    #expect(hex == "80ebc973ddeddf9e34c89a34d80c320cb2b116609543ea1b42a469122a97ac3a")
    #expect(mac != (try Self.value("sha256(code)")))
    let bound = try StandaloneExpression.check("hmac(code, 'other')", against: TestBatches.schema, as: .value).get()
    #expect(throws: ExpressionCompileError.missingKey("other")) { try CompiledExpression(bound) }
  }

  /// Rounding down at the ends of Int64 (a decimal or a time from outside) wraps
  /// instead of trapping.
  @Test func extremeValuesRoundDownWithoutTrapping() throws {
    var row = Self.row
    row[3] = .decimal(unscaled: .min, scale: 2)
    row[7] = .timestamp(.min, .millis)
    for text in [
      "floor(price)", "ceil(price)", "round(price)", "date_trunc('day', placed_at)", "hour(placed_at)",
      "CAST(placed_at AS string)", "CAST(placed_at AS date)", "date(placed_at)",
    ] {
      let bound = try StandaloneExpression.check(text, against: TestBatches.schema, as: .value).get()
      var context = EvaluationContext()
      #expect(try CompiledExpression(bound).evaluate(TestBatches.batch([row]), &context).count == 1, "\(text)")
    }
  }

  @Test func overflowIsARowFailureNotATrap() throws {
    let bound = try StandaloneExpression.check("big * 9223372036854775807", against: TestBatches.schema, as: .value)
      .get()
    var context = EvaluationContext()
    _ = try CompiledExpression(bound).evaluate(TestBatches.batch([Self.row]), &context)
    #expect(context.failures.map(\.row) == [0])
    #expect(context.failures.first?.message.contains("overflow") == true)
  }
}
