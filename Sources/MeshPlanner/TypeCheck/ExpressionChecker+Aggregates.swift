import MeshData
import MeshPlan

/// Aggregate calls: only in measures, never inside one another.
extension ExpressionChecker {
  mutating func aggregate(
    _ function: AggregateFunction, _ syntaxes: [ExpressionSyntax], star: Bool, nameSpan: Range<Int>, span: Range<Int>
  ) -> BoundExpression? {
    let name = function.rawValue
    guard role.allowsAggregates else {
      return fail(
        .misplacedAggregate, "\(name) aggregates a group, which \(role.noun) does not have", nameSpan,
        help: "aggregates belong in an aggregate step's measures")
    }
    guard aggregateDepth == 0 else {
      return fail(.misplacedAggregate, "\(name) is inside another aggregate", nameSpan)
    }
    if star {
      guard function == .count else { return fail(.invalidArguments, "only count takes '*'", span) }
      return .aggregate(.count, nil, .int64)
    }
    guard syntaxes.count == 1, let syntax = syntaxes.first else {
      return fail(
        .invalidArguments, "\(name) takes 1 argument, not \(syntaxes.count)", span,
        help: function == .count ? "count(*) counts the records of the group" : nil)
    }
    aggregateDepth += 1
    let bound = bind(syntax)
    aggregateDepth -= 1
    guard let argument = bound else { return nil }
    let type = argument.type.type
    switch function {
    case .count, .countDistinct:
      return .aggregate(function, argument, .int64)
    case .sum:
      let total: DataType
      switch type {
      case .int32, .int64: total = .int64
      case .decimal(_, let scale): total = .decimal(precision: TypeRules.maxDecimalPrecision, scale: scale)
      case .float32, .float64: total = .float64
      default: return notNumeric(name, argument, syntax)
      }
      return .aggregate(.sum, Self.converted(argument, to: total), ValueType(total, nullable: argument.type.nullable))
    case .avg:
      guard type.isNumeric else { return notNumeric(name, argument, syntax) }
      return .aggregate(
        .avg, Self.converted(argument, to: .float64), ValueType(.float64, nullable: argument.type.nullable))
    case .min, .max:
      guard TypeRules.isOrdered(type), type != .null else {
        return fail(.invalidArguments, "\(name) needs ordered values, not \(type)", syntax.span)
      }
      return .aggregate(function, argument, argument.type)
    case .first, .last:
      return .aggregate(function, argument, argument.type)
    }
  }

  private mutating func notNumeric(
    _ name: String, _ argument: BoundExpression, _ syntax: ExpressionSyntax
  )
    -> BoundExpression?
  {
    fail(
      .invalidArguments, "\(name) needs numbers, but '\(written(syntax))' is a \(argument.type.type)", syntax.span,
      help: "count(…) or count_distinct(…) count values of any type")
  }
}
