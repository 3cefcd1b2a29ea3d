import Testing

@testable import MeshPlanner

/// The parser takes every form the language has, with SQL's precedence, and points a
/// mistake at its place in the text.
struct ExpressionParserTests {
  @Test(arguments: [
    ("status <> 'test' AND amount >= 0", "(AND (<> status 'test') (>= amount 0))"),
    ("a OR b AND NOT c", "(OR a (AND b (NOT c)))"),
    ("1 + 2 * 3 - -x", "(- (+ 1 (* 2 3)) (- x))"),
    ("sku LIKE 'SHOE-%'", "(LIKE sku 'SHOE-%')"),
    ("x NOT IN (1, 2)", "(NOT IN x 1 2)"),
    ("x BETWEEN 1 AND 2 AND y", "(AND (BETWEEN x 1 2) y)"),
    ("email IS NOT NULL", "(IS NOT NULL email)"),
    ("customer.address.city = \"select\"", "(= customer.address.city select)"),
    ("CASE WHEN a THEN 1 ELSE 2 END", "(CASE a 1 2)"),
    ("CAST(amount AS decimal(10, 2))", "(CAST amount decimal(10,2))"),
    ("count(*)", "(count *)"),
    (
      "placed_at >= TIMESTAMP '2024-01-01T00:00:00Z' - 10m",
      "(>= placed_at (- TIMESTAMP'2024-01-01T00:00:00Z' INTERVAL'10m'))"
    ),
    ("a || 'x'", "(|| a 'x')"),
  ])
  func parsesWithPrecedence(_ text: String, _ expected: String) throws {
    #expect(try Self.shape(ExpressionParser.parse(text)) == expected)
  }

  @Test(arguments: [
    ("amount >", 8..<8, "the expression ends early"),
    ("a = 'open", 4..<9, "unterminated string: missing '"),
    ("a = 1 b", 6..<7, "unexpected 'b' after the expression"),
    ("a # b", 2..<3, "unexpected character '#'"),
    ("x NOT 3", 6..<7, "expected IN, BETWEEN or LIKE after NOT, found '3'"),
    ("CASE a END", 5..<6, "expected WHEN after CASE, found 'a'"),
  ])
  func mistakesPointAtTheirPlace(_ text: String, _ span: Range<Int>, _ message: String) {
    do {
      _ = try ExpressionParser.parse(text)
      Issue.record("'\(text)' parsed")
    } catch {
      #expect(error.span == span, "\(text)")
      #expect(error.message == message, "\(text)")
    }
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    for text in [String(repeating: "(", count: 100_000) + "1", String(repeating: "NOT ", count: 100_000) + "a"] {
      #expect(throws: ExpressionParser.Failure.self) { try ExpressionParser.parse(text) }
    }
  }

  static func shape(_ syntax: ExpressionSyntax) -> String {
    switch syntax {
    case .field(let path, _): path.joined(separator: ".")
    case .integer(let text, _), .decimal(let text, _): text
    case .string(let text, _): "'\(text)'"
    case .boolean(let value, _): value ? "TRUE" : "FALSE"
    case .null: "NULL"
    case .typedLiteral(let kind, let text, _): "\(String(describing: kind).uppercased())'\(text)'"
    case .unary(let op, let operand, _): "(\(op) \(shape(operand)))"
    case .binary(let op, let left, let right, _, _): "(\(op) \(shape(left)) \(shape(right)))"
    case .isNull(let operand, let negated, _): "(IS \(negated ? "NOT " : "")NULL \(shape(operand)))"
    case .inList(let operand, let items, let negated, _):
      "(\(negated ? "NOT " : "")IN \(([operand] + items).map(shape).joined(separator: " ")))"
    case .between(let operand, let low, let high, let negated, _):
      "(\(negated ? "NOT " : "")BETWEEN \(shape(operand)) \(shape(low)) \(shape(high)))"
    case .like(let operand, let pattern, let negated, _):
      "(\(negated ? "NOT " : "")LIKE \(shape(operand)) \(shape(pattern)))"
    case .caseWhen(let branches, let otherwise, _):
      "(CASE " + branches.map { "\(shape($0.0)) \(shape($0.1))" }.joined(separator: " ")
        + (otherwise.map { " \(shape($0))" } ?? "") + ")"
    case .cast(let operand, let type, _):
      "(CAST \(shape(operand)) \(type.name)\(type.parameters.isEmpty ? "" : "(\(type.parameters.map(String.init).joined(separator: ",")))"))"
    case .call(let name, let arguments, let star, _, _):
      "(\(name) \(star ? "*" : arguments.map(shape).joined(separator: " ")))"
    }
  }
}
