import MeshData
import MeshDiagnostics
import MeshPlan

/// The operators: arithmetic, comparison, logic, IN, BETWEEN, LIKE, CASE and CAST.
extension ExpressionChecker {
  mutating func unary(_ op: String, _ operandSyntax: ExpressionSyntax, _ span: Range<Int>) -> BoundExpression? {
    guard let operand = bind(operandSyntax) else { return nil }
    if op == "NOT" {
      return condition(operand, operandSyntax, what: "the operand of NOT").map { .not($0) }
    }
    let type = operand.type.type
    guard type.isNumeric || type == .duration || type == .null else {
      return fail(.typeMismatch, "cannot negate a \(type)", span, help: "'-' applies to numbers and durations")
    }
    switch operand {
    case .literal(.integer(let n), let valueType) where n != .min: return .literal(.integer(-n), valueType)
    case .literal(.double(let d), let valueType): return .literal(.double(-d), valueType)
    case .literal(.decimal(let unscaled, let scale), let valueType) where unscaled != .min:
      return .literal(.decimal(unscaled: -unscaled, scale: scale), valueType)
    case .literal(.duration(let micros), let valueType) where micros != .min:
      return .literal(.duration(micros: -micros), valueType)
    default: return .negate(operand, operand.type)
    }
  }

  mutating func binary(
    _ op: String, _ leftSyntax: ExpressionSyntax, _ rightSyntax: ExpressionSyntax, operatorSpan: Range<Int>
  ) -> BoundExpression? {
    let left = bind(leftSyntax)
    let right = bind(rightSyntax)
    guard let left, let right else { return nil }
    let nullable = left.type.nullable || right.type.nullable
    if let logical = LogicalOperator(rawValue: op) {
      guard let l = condition(left, leftSyntax, what: "an operand of \(op)"),
        let r = condition(right, rightSyntax, what: "an operand of \(op)")
      else { return nil }
      return .logical(logical, l, r, ValueType(.boolean, nullable: nullable))
    }
    if let comparison = ComparisonOperator(rawValue: op) {
      return compare(comparison, (left, leftSyntax), (right, rightSyntax), at: operatorSpan)
    }
    if op == "||" {
      guard let l = asText(left, leftSyntax), let r = asText(right, rightSyntax) else { return nil }
      return .concat(l, r, ValueType(.string, nullable: nullable))
    }
    guard let arithmetic = ArithmeticOperator(rawValue: op) else {
      return fail(.expressionSyntax, "unknown operator '\(op)'", operatorSpan)
    }
    return self.arithmetic(arithmetic, left, right, at: operatorSpan)
  }

  private mutating func arithmetic(
    _ op: ArithmeticOperator, _ left: BoundExpression, _ right: BoundExpression, at span: Range<Int>
  ) -> BoundExpression? {
    guard let result = TypeRules.arithmetic(op, left.type.type, right.type.type) else {
      return fail(
        .typeMismatch, "cannot apply '\(op.rawValue)' to \(left.type.type) and \(right.type.type)", span,
        help: left.type.type.isText || right.type.type.isText ? "join strings with '||' or concat(…)" : nil)
    }
    // Division and remainder by zero are NULL, as in DuckDB; so their results may be.
    let nullable = left.type.nullable || right.type.nullable || op == .divide || op == .remainder
    let operands: (BoundExpression, BoundExpression)
    if left.type.type.isTimestamp, right.type.type.isTimestamp {
      // A difference of times in one unit: the column's, when the constant fits it.
      let target =
        Self.exactly(right, as: left.type.type) != nil
        ? left.type.type
        : Self.exactly(left, as: right.type.type) != nil
          ? right.type.type : TypeRules.common(left.type.type, right.type.type) ?? left.type.type
      operands = (Self.converted(left, to: target), Self.converted(right, to: target))
    } else if result.isTemporal || result == .duration {
      operands = (left, right)
    } else if op == .divide {
      operands = (Self.converted(left, to: .float64), Self.converted(right, to: .float64))
    } else if op == .multiply, result.isDecimal {
      operands = (
        Self.converted(left, to: TypeRules.asDecimal(left.type.type)),
        Self.converted(right, to: TypeRules.asDecimal(right.type.type))
      )
    } else {
      let common = TypeRules.common(left.type.type, right.type.type) ?? result
      let operandType = common == .null ? result : common
      operands = (Self.converted(left, to: operandType), Self.converted(right, to: operandType))
    }
    return .arithmetic(op, operands.0, operands.1, ValueType(result, nullable: nullable))
  }

  private mutating func compare(
    _ op: ComparisonOperator, _ left: (BoundExpression, ExpressionSyntax), _ right: (BoundExpression, ExpressionSyntax),
    at span: Range<Int>
  ) -> BoundExpression? {
    guard let sides = unified([left, right], at: span, purpose: "compare"), sides.count == 2 else { return nil }
    let type = sides[0].type.type
    if op != .equal, op != .notEqual, !TypeRules.isOrdered(type) {
      return fail(.typeMismatch, "\(type) values have no order for '\(op.rawValue)'", span)
    }
    if case .opaque = type {
      return fail(.typeMismatch, "cannot compare values of a union of several types", span)
    }
    let nullable = sides[0].type.nullable || sides[1].type.nullable
    return .comparison(op, sides[0], sides[1], ValueType(.boolean, nullable: nullable))
  }

  /// A value read as text for `||`, LIKE and the string functions: strings as they are,
  /// other scalars cast to their text.
  mutating func asText(_ value: BoundExpression, _ syntax: ExpressionSyntax) -> BoundExpression? {
    switch value.type.type {
    case .string: return value
    case .null: return .literal(.null, ValueType(.string, nullable: true))
    case .record, .array, .map, .opaque, .bytes, .fixed:
      return fail(
        .typeMismatch, "'\(written(syntax))' is a \(value.type.type), not text", syntax.span,
        help: value.type.type == .bytes ? "hash or encode it first, e.g. sha256(…)" : nil)
    default: return Self.converted(value, to: .string)
    }
  }

  mutating func inList(
    _ operandSyntax: ExpressionSyntax, _ itemSyntaxes: [ExpressionSyntax], negated: Bool, _ span: Range<Int>
  ) -> BoundExpression? {
    let operand = bind(operandSyntax)
    let items = itemSyntaxes.map { bind($0) }
    guard let operand else { return nil }
    var pairs = [(bound: operand, syntax: operandSyntax)]
    for (item, syntax) in zip(items, itemSyntaxes) {
      guard let item else { return nil }
      pairs.append((item, syntax))
    }
    guard let values = unified(pairs, purpose: "look for"), let first = values.first else { return nil }
    let nullable = values.contains { $0.type.nullable }
    return .inList(first, Array(values.dropFirst()), negated: negated, ValueType(.boolean, nullable: nullable))
  }

  /// `x BETWEEN a AND b` is `x >= a AND x <= b`.
  mutating func between(
    _ operandSyntax: ExpressionSyntax, _ lowSyntax: ExpressionSyntax, _ highSyntax: ExpressionSyntax, negated: Bool,
    _ span: Range<Int>
  ) -> BoundExpression? {
    let operand = bind(operandSyntax)
    let low = bind(lowSyntax)
    let high = bind(highSyntax)
    guard let operand, let low, let high else { return nil }
    guard let above = compare(.greaterOrEqual, (operand, operandSyntax), (low, lowSyntax), at: span),
      let below = compare(.lessOrEqual, (operand, operandSyntax), (high, highSyntax), at: span)
    else { return nil }
    let both = BoundExpression.logical(
      .and, above, below, ValueType(.boolean, nullable: above.type.nullable || below.type.nullable))
    return negated ? .not(both) : both
  }

  mutating func like(
    _ operandSyntax: ExpressionSyntax, _ patternSyntax: ExpressionSyntax, negated: Bool
  )
    -> BoundExpression?
  {
    guard let operand = bind(operandSyntax), let text = asText(operand, operandSyntax) else { return nil }
    guard case .string(let pattern, _) = patternSyntax else {
      return fail(
        .typeMismatch, "LIKE needs a quoted pattern, not '\(written(patternSyntax))'", patternSyntax.span,
        help: "e.g. sku LIKE 'SHOE-%': '%' matches any text, '_' one character")
    }
    return .like(text, pattern: pattern, negated: negated, ValueType(.boolean, nullable: text.type.nullable))
  }

  mutating func caseWhen(
    _ branches: [(ExpressionSyntax, ExpressionSyntax)], otherwise: ExpressionSyntax?, _ span: Range<Int>
  ) -> BoundExpression? {
    var conditions: [BoundExpression] = []
    var values: [(bound: BoundExpression, syntax: ExpressionSyntax)] = []
    var failed = false
    for (conditionSyntax, valueSyntax) in branches {
      let condition = bind(conditionSyntax).flatMap { self.condition($0, conditionSyntax, what: "a WHEN condition") }
      let value = bind(valueSyntax)
      if let condition, let value {
        conditions.append(condition)
        values.append((value, valueSyntax))
      } else {
        failed = true
      }
    }
    if let otherwise {
      if let value = bind(otherwise) { values.append((value, otherwise)) } else { failed = true }
    }
    guard !failed, let unifiedValues = unified(values, purpose: "choose between") else { return nil }
    let nullable = otherwise == nil || unifiedValues.contains { $0.type.nullable }
    let type = ValueType(unifiedValues[0].type.type, nullable: nullable)
    let caseBranches = zip(conditions, unifiedValues).map { CaseBranch(condition: $0, value: $1) }
    return .caseWhen(caseBranches, otherwise: otherwise == nil ? nil : unifiedValues.last, type)
  }

  mutating func cast(_ operandSyntax: ExpressionSyntax, _ typeName: ExpressionSyntax.TypeName) -> BoundExpression? {
    guard let operand = bind(operandSyntax) else { return nil }
    guard let target = CastTypes.type(typeName.name, typeName.parameters) else {
      return fail(
        .typeMismatch, "unknown type '\(typeName.name)' in CAST", typeName.span,
        help: Suggestion.didYouMean(typeName.name, among: CastTypes.names) ?? "types are \(Self.list(CastTypes.names))")
    }
    let from = operand.type.type
    guard CastTypes.allowed(from, to: target) else {
      return fail(.typeMismatch, "cannot cast \(from) to \(target)", typeName.span)
    }
    if Self.sameRepresentation(from, target) { return operand }
    if let exact = Self.exactly(operand, as: target) { return exact }
    // Text that does not read as the target type casts to NULL rather than failing the run.
    let nullable = operand.type.nullable || (from.isText && !target.isText)
    return .cast(operand, ValueType(target, nullable: nullable))
  }
}
