import MeshData
import MeshPlan
import MeshPlanner
import MeshTestSupport
import Testing

@testable import MeshRuntime

/// The compiled evaluators against the reference interpreter: random well-typed
/// expressions over random batches (NULLs, integer edges, overflow), row by row.
struct EvaluatorAgreementTests {
  /// Expression text of a type, from a small grammar over TestBatches.schema.
  struct Generator {
    var random: SeededRandom

    mutating func pick(_ options: [String]) -> String { options[random.below(options.count)] }

    mutating func integer(_ depth: Int) -> String {
      if depth == 0 {
        return pick(["qty", "big", "0", "1", "-1", "7", "2147483647", "9223372036854775807", "qty", "big"])
      }
      switch random.below(9) {
      case 0: return "(\(integer(depth - 1)) + \(integer(depth - 1)))"
      case 1: return "(\(integer(depth - 1)) - \(integer(depth - 1)))"
      case 2: return "(\(integer(depth - 1)) * \(integer(depth - 1)))"
      case 3: return "(\(integer(depth - 1)) % \(integer(depth - 1)))"
      case 4: return "-\(integer(depth - 1))"
      case 5: return "abs(\(integer(depth - 1)))"
      case 6: return "CASE WHEN \(condition(depth - 1)) THEN \(integer(depth - 1)) ELSE \(integer(depth - 1)) END"
      case 7: return "coalesce(\(integer(depth - 1)), \(integer(depth - 1)))"
      default: return "length(\(text(depth - 1)))"
      }
    }

    mutating func double(_ depth: Int) -> String {
      if depth == 0 { return pick(["amount", "0.5", "amount", "CAST(qty AS double)"]) }
      switch random.below(5) {
      case 0: return "(\(double(depth - 1)) + \(integer(depth - 1)))"
      case 1: return "(\(double(depth - 1)) / \(double(depth - 1)))"
      case 2: return "(\(double(depth - 1)) * \(double(depth - 1)))"
      case 3: return "(\(integer(depth - 1)) / \(integer(depth - 1)))"
      default: return "nullif(\(double(depth - 1)), 0.5)"
      }
    }

    mutating func decimal(_ depth: Int) -> String {
      if depth == 0 { return pick(["price", "1.25", "price"]) }
      switch random.below(3) {
      case 0: return "(\(decimal(depth - 1)) + \(decimal(depth - 1)))"
      case 1: return "(price * \(integer(0)))"
      default: return "(\(decimal(depth - 1)) - price)"
      }
    }

    mutating func text(_ depth: Int) -> String {
      if depth == 0 { return pick(["name", "code", "'x'", "''", "'Ünï'"]) }
      switch random.below(7) {
      case 0: return "(\(text(depth - 1)) || \(text(depth - 1)))"
      case 1: return "upper(\(text(depth - 1)))"
      case 2: return "substr(\(text(depth - 1)), \(pick(["1", "2", "0", "-1", "qty"])), \(pick(["2", "0", "10"])))"
      case 3: return "CAST(\(integer(depth - 1)) AS string)"
      case 4: return "coalesce(\(text(depth - 1)), 'none')"
      case 5: return "CAST(status AS string)"
      default: return "concat(\(text(depth - 1)), \(text(depth - 1)))"
      }
    }

    mutating func condition(_ depth: Int) -> String {
      if depth == 0 { return pick(["paid", "TRUE", "NULL", "paid"]) }
      switch random.below(12) {
      case 0: return "(\(integer(depth - 1)) \(pick(["=", "<>", "<", "<=", ">", ">="])) \(integer(depth - 1)))"
      case 1: return "(\(text(depth - 1)) \(pick(["=", "<", ">="])) \(text(depth - 1)))"
      case 2: return "(\(condition(depth - 1)) AND \(condition(depth - 1)))"
      case 3: return "(\(condition(depth - 1)) OR \(condition(depth - 1)))"
      case 4: return "NOT \(condition(depth - 1))"
      case 5: return "(\(integer(depth - 1)) IS \(pick(["", "NOT "]))NULL)"
      case 6: return "(\(integer(depth - 1)) \(pick(["", "NOT "]))IN (1, 7, qty))"
      case 7: return "(\(integer(depth - 1)) BETWEEN -5 AND \(integer(depth - 1)))"
      case 8:
        return
          "(\(text(depth - 1)) \(pick(["", "NOT "]))LIKE '\(pick(["%", "a%", "%e%", "_b", "SHOE-_", "%-_", "", "Ü%"]))')"
      case 9: return "(\(double(depth - 1)) \(pick(["<", ">="])) \(double(depth - 1)))"
      case 10: return "(status \(pick(["=", "<>", "<"])) '\(pick(["paid", "placed", "shipped"]))')"
      default: return "(\(decimal(depth - 1)) > \(decimal(depth - 1)))"
      }
    }

    mutating func any(_ depth: Int) -> String {
      switch random.below(5) {
      case 0: integer(depth)
      case 1: double(depth)
      case 2: decimal(depth)
      case 3: text(depth)
      default: condition(depth)
      }
    }
  }

  @Test func randomExpressionsAgreeWithTheInterpreter() throws {
    var random = SeededRandom()
    let seed = random.seed
    let rows = TestBatches.randomRows(300, &random)
    let batch = TestBatches.batch(rows)
    var generator = Generator(random: SeededRandom(seed: seed &+ 1))
    var checked = 0
    for _ in 0..<(SeededRandom.longTests ? 20_000 : 600) {
      let text = generator.any(1 + generator.random.below(3))
      guard case .success(let bound) = StandaloneExpression.check(text, against: TestBatches.schema, as: .value) else {
        continue  // the grammar can write what the checker refuses (e.g. NULL where a type is needed)
      }
      let compiled = try CompiledExpression(bound)
      var context = EvaluationContext()
      let column = compiled.evaluate(batch, &context)
      let failures = context.byRow
      for (index, row) in rows.enumerated() {
        let expected = ReferenceInterpreter.evaluate(bound, row)
        let actual: ReferenceInterpreter.Outcome =
          failures[index] != nil ? .failure : .value(TestBatches.value(column, index))
        if !Self.same(expected, actual) {
          Issue.record(
            "seed \(seed): \(text) (bound \(bound)) row \(index) \(row): expected \(expected), got \(actual)")
          return
        }
      }
      checked += 1
    }
    print("evaluator agreement: \(checked) expressions checked, seed \(seed)")
    #expect(checked > 300, "seed \(seed): only \(checked) expressions checked")
  }

  static func same(_ a: ReferenceInterpreter.Outcome, _ b: ReferenceInterpreter.Outcome) -> Bool {
    if case .value(.double(let x)) = a, case .value(.double(let y)) = b { return x == y || (x.isNaN && y.isNaN) }
    // A failure inside a branch or operand that a NULL or CASE leaves unused is still
    // a failure in both: neither short-circuits.
    return a == b
  }
}
