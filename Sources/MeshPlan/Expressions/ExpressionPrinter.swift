/// The text form of a bound expression, fully parenthesized where precedence could be
/// misread, with implicit casts shown.
public enum ExpressionPrinter {
  public static func text(_ expression: BoundExpression) -> String {
    switch expression {
    case .field(let reference, _): reference.description
    case .literal(.integer(let index), let type):
      if case .enumeration(_, let symbols) = type.type, symbols.indices.contains(Int(index)) {
        ScalarValue.string(symbols[Int(index)]).description
      } else {
        "\(index)"
      }
    case .literal(let value, _): value.description
    case .negate(let operand, _): "-\(wrapped(operand))"
    case .not(let operand): "NOT \(wrapped(operand))"
    case .arithmetic(let op, let left, let right, _): "\(wrapped(left)) \(op.rawValue) \(wrapped(right))"
    case .comparison(let op, let left, let right, _): "\(wrapped(left)) \(op.rawValue) \(wrapped(right))"
    case .logical(let op, let left, let right, _): "\(wrapped(left)) \(op.rawValue) \(wrapped(right))"
    case .concat(let left, let right, _): "\(wrapped(left)) || \(wrapped(right))"
    case .isNull(let operand, let negated): "\(wrapped(operand)) IS \(negated ? "NOT " : "")NULL"
    case .inList(let operand, let items, let negated, _):
      "\(wrapped(operand)) \(negated ? "NOT " : "")IN (\(items.map(text).joined(separator: ", ")))"
    case .like(let operand, let pattern, let negated, _):
      "\(wrapped(operand)) \(negated ? "NOT " : "")LIKE \(ScalarValue.string(pattern))"
    case .caseWhen(let branches, let otherwise, _):
      "CASE "
        + branches.map { "WHEN \(text($0.condition)) THEN \(text($0.value)) " }.joined()
        + (otherwise.map { "ELSE \(text($0)) " } ?? "") + "END"
    case .cast(let operand, let type): "CAST(\(text(operand)) AS \(type.type))"
    case .call(let function, let arguments, _):
      "\(function.rawValue)(\(arguments.map(text).joined(separator: ", ")))"
    case .aggregate(let function, let argument, _): "\(function.rawValue)(\(argument.map(text) ?? "*"))"
    }
  }

  private static func wrapped(_ expression: BoundExpression) -> String {
    switch expression {
    case .arithmetic, .comparison, .logical, .concat, .isNull, .inList, .like, .not, .negate: "(\(text(expression)))"
    default: text(expression)
    }
  }
}
