/// A type-checked expression: fields resolved to positions, every node typed, implicit
/// conversions made explicit as casts. What the evaluators compile and the printers show.
public indirect enum BoundExpression: Hashable, Sendable, CustomStringConvertible {
  case field(FieldReference, ValueType)
  case literal(ScalarValue, ValueType)
  case negate(BoundExpression, ValueType)
  case not(BoundExpression)
  case arithmetic(ArithmeticOperator, BoundExpression, BoundExpression, ValueType)
  case comparison(ComparisonOperator, BoundExpression, BoundExpression, ValueType)
  case logical(LogicalOperator, BoundExpression, BoundExpression, ValueType)
  case concat(BoundExpression, BoundExpression, ValueType)
  case isNull(BoundExpression, negated: Bool)
  case inList(BoundExpression, [BoundExpression], negated: Bool, ValueType)
  case like(BoundExpression, pattern: String, negated: Bool, ValueType)
  case caseWhen([CaseBranch], otherwise: BoundExpression?, ValueType)
  case cast(BoundExpression, ValueType)
  case call(ScalarFunction, [BoundExpression], ValueType)
  case aggregate(AggregateFunction, BoundExpression?, ValueType)

  public var type: ValueType {
    switch self {
    case .field(_, let type), .literal(_, let type), .negate(_, let type), .arithmetic(_, _, _, let type),
      .comparison(_, _, _, let type), .logical(_, _, _, let type), .concat(_, _, let type),
      .inList(_, _, _, let type), .like(_, _, _, let type), .caseWhen(_, _, let type), .cast(_, let type),
      .call(_, _, let type), .aggregate(_, _, let type):
      type
    case .not(let operand): ValueType(.boolean, nullable: operand.type.nullable)
    case .isNull: .boolean
    }
  }

  /// The expressions this one is made of.
  public var children: [BoundExpression] {
    switch self {
    case .field, .literal: []
    case .negate(let operand, _), .not(let operand), .isNull(let operand, _), .like(let operand, _, _, _),
      .cast(let operand, _):
      [operand]
    case .arithmetic(_, let left, let right, _), .comparison(_, let left, let right, _),
      .logical(_, let left, let right, _), .concat(let left, let right, _):
      [left, right]
    case .inList(let operand, let items, _, _): [operand] + items
    case .caseWhen(let branches, let otherwise, _):
      branches.flatMap { [$0.condition, $0.value] } + (otherwise.map { [$0] } ?? [])
    case .call(_, let arguments, _): arguments
    case .aggregate(_, let argument, _): argument.map { [$0] } ?? []
    }
  }

  /// Every field the expression reads, in order of first use.
  public var fields: [FieldReference] {
    var seen: [FieldReference] = []
    func visit(_ expression: BoundExpression) {
      if case .field(let reference, _) = expression, !seen.contains(reference) { seen.append(reference) }
      expression.children.forEach(visit)
    }
    visit(self)
    return seen
  }

  /// The functions applied on the way from the fields to the value (for lineage and PII).
  public var functions: [String] {
    var names: [String] = []
    func visit(_ expression: BoundExpression) {
      switch expression {
      case .call(let function, _, _): names.append(function.rawValue)
      case .aggregate(let function, _, _): names.append(function.rawValue)
      case .cast(_, let type): names.append("cast(\(type.type))")
      default: break
      }
      expression.children.forEach(visit)
    }
    visit(self)
    return names
  }

  public var containsAggregate: Bool {
    if case .aggregate = self { return true }
    return children.contains { $0.containsAggregate }
  }

  public var description: String { ExpressionPrinter.text(self) }
}

public struct CaseBranch: Hashable, Sendable {
  public var condition: BoundExpression
  public var value: BoundExpression

  public init(condition: BoundExpression, value: BoundExpression) {
    self.condition = condition
    self.value = value
  }
}

public enum ArithmeticOperator: String, Hashable, Sendable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
}

public enum ComparisonOperator: String, Hashable, Sendable {
  case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

public enum LogicalOperator: String, Hashable, Sendable {
  case and = "AND", or = "OR"
}
