import MeshData
import MeshDiagnostics
import MeshPlan

/// Function calls: the scalar functions on strings, numbers, time, nulls and PII; the
/// aggregates are in ExpressionChecker+Aggregates. docs/expressions.md lists each one's
/// types.
extension ExpressionChecker {
  typealias Argument = (bound: BoundExpression, syntax: ExpressionSyntax)

  static let timeUnits = ["second", "minute", "hour", "day", "week", "month", "quarter", "year"]
  static let partUnits = timeUnits + ["millisecond", "dow", "doy", "epoch"]

  mutating func call(
    _ name: String, _ syntaxes: [ExpressionSyntax], star: Bool, nameSpan: Range<Int>, span: Range<Int>
  ) -> BoundExpression? {
    if wallClockFunctions.contains(name) {
      return fail(
        .wallClockFunction, "\(name)() reads the clock or randomness: outputs would change from run to run", nameSpan,
        help: "use the records' event time instead, e.g. a field such as placed_at")
    }
    if let aggregate = AggregateFunction(rawValue: name) {
      return self.aggregate(aggregate, syntaxes, star: star, nameSpan: nameSpan, span: span)
    }
    guard let function = ScalarFunction(rawValue: name) else {
      let names = ScalarFunction.allCases.map(\.rawValue) + AggregateFunction.allCases.map(\.rawValue)
      return fail(
        .unknownFunction, "there is no function '\(name)'", nameSpan,
        help: Suggestion.didYouMean(name, among: names) ?? "docs/expressions.md lists the functions")
    }
    if star {
      return fail(.invalidArguments, "only count takes '*'", span)
    }
    var arguments: [Argument] = []
    var failed = false
    for syntax in syntaxes {
      if let bound = bind(syntax) { arguments.append((bound, syntax)) } else { failed = true }
    }
    if failed { return nil }
    return scalar(function, arguments, span: span)
  }

  private mutating func scalar(
    _ function: ScalarFunction, _ arguments: [Argument], span: Range<Int>
  )
    -> BoundExpression?
  {
    let name = function.rawValue
    let anyNullable = arguments.contains { $0.bound.type.nullable }
    switch function {
    case .length:
      guard arity(name, arguments, 1, span: span), let text = textOrBytes(arguments[0]) else { return nil }
      return .call(function, [text], ValueType(.int64, nullable: anyNullable))
    case .lower, .upper, .trim, .ltrim, .rtrim:
      guard arity(name, arguments, 1, span: span), let text = asText(arguments[0].bound, arguments[0].syntax) else {
        return nil
      }
      return .call(function, [text], ValueType(.string, nullable: anyNullable))
    case .substr:
      guard arity(name, arguments, 2...3, span: span), let text = asText(arguments[0].bound, arguments[0].syntax),
        let rest = integers(name, arguments.dropFirst())
      else { return nil }
      return .call(function, [text] + rest, ValueType(.string, nullable: anyNullable))
    case .left, .right:
      guard arity(name, arguments, 2, span: span), let text = asText(arguments[0].bound, arguments[0].syntax),
        let count = integers(name, arguments.dropFirst())
      else { return nil }
      return .call(function, [text] + count, ValueType(.string, nullable: anyNullable))
    case .concat:
      // NULL arguments are skipped, as in DuckDB and PostgreSQL: the result is never NULL.
      guard arity(name, arguments, 1...Int.max, span: span), let texts = texts(arguments) else { return nil }
      return .call(function, texts, .string)
    case .replace:
      guard arity(name, arguments, 3, span: span), let texts = texts(arguments) else { return nil }
      return .call(function, texts, ValueType(.string, nullable: anyNullable))
    case .startsWith, .endsWith, .contains:
      guard arity(name, arguments, 2, span: span), let texts = texts(arguments) else { return nil }
      return .call(function, texts, ValueType(.boolean, nullable: anyNullable))
    case .abs, .floor, .ceil:
      guard arity(name, arguments, 1, span: span), let number = numeric(name, arguments[0]) else { return nil }
      return .call(function, [number], number.type)
    case .round:
      guard arity(name, arguments, 1...2, span: span), let number = numeric(name, arguments[0]),
        let digits = integers(name, arguments.dropFirst())
      else { return nil }
      return .call(function, [number] + digits, ValueType(number.type.type, nullable: anyNullable))
    case .sqrt, .ln, .exp:
      // The square root or logarithm of a number outside their domain is NULL.
      guard arity(name, arguments, 1, span: span), let number = numeric(name, arguments[0]) else { return nil }
      return .call(function, [Self.converted(number, to: .float64)], ValueType(.float64, nullable: function != .exp))
    case .power:
      guard arity(name, arguments, 2, span: span), let base = numeric(name, arguments[0]),
        let exponent = numeric(name, arguments[1])
      else { return nil }
      return .call(
        function, [Self.converted(base, to: .float64), Self.converted(exponent, to: .float64)],
        ValueType(.float64, nullable: true))
    case .least, .greatest, .coalesce:
      // NULLs are skipped: the result is NULL only when every argument is.
      guard arity(name, arguments, 2...Int.max, span: span),
        let values = unified(arguments, purpose: "pick from")
      else { return nil }
      if function != .coalesce, let unordered = values.first(where: { !TypeRules.isOrdered($0.type.type) }) {
        return fail(.invalidArguments, "\(name) needs ordered values, not \(unordered.type.type)", span)
      }
      let allNullable = values.allSatisfy { $0.type.nullable }
      return .call(function, values, ValueType(values[0].type.type, nullable: allNullable))
    case .nullif:
      guard arity(name, arguments, 2, span: span), let values = unified(arguments, purpose: "compare")
      else { return nil }
      return .call(function, values, ValueType(values[0].type.type, nullable: true))
    case .dateTrunc, .datePart:
      return timeUnitFunction(function, arguments, span: span)
    case .year, .month, .day, .hour, .minute, .second:
      guard arity(name, arguments, 1, span: span),
        let time = temporal(name, arguments[0], allowDate: [.year, .month, .day].contains(function))
      else { return nil }
      return .call(function, [time], ValueType(.int64, nullable: anyNullable))
    case .date:
      guard arity(name, arguments, 1, span: span), let time = temporal(name, arguments[0], allowDate: true) else {
        return nil
      }
      return .call(function, [time], ValueType(.date, nullable: anyNullable))
    case .sha256, .redact:
      guard arity(name, arguments, 1, span: span), let value = textOrBytes(arguments[0]) else { return nil }
      return .call(function, [value], ValueType(.string, nullable: anyNullable))
    case .hmac:
      guard arity(name, arguments, 2, span: span), let value = textOrBytes(arguments[0]) else { return nil }
      guard case .literal(.string(let key), _) = arguments[1].bound, !key.isEmpty else {
        return fail(
          .invalidArguments, "hmac's key must be named by a quoted constant", arguments[1].syntax.span,
          help: "e.g. hmac(email, 'customer-email'); the key's bytes are never written in a manifest")
      }
      return .call(function, [value, LiteralValues.string(key)], ValueType(.string, nullable: anyNullable))
    case .mask:
      guard arity(name, arguments, 1...2, span: span), let text = asText(arguments[0].bound, arguments[0].syntax),
        let keep = integers(name, arguments.dropFirst())
      else { return nil }
      return .call(function, [text] + keep, ValueType(.string, nullable: arguments[0].bound.type.nullable))
    }
  }

  /// `date_trunc('month', placed_at)`, `date_part('hour', placed_at)`.
  private mutating func timeUnitFunction(
    _ function: ScalarFunction, _ arguments: [Argument], span: Range<Int>
  )
    -> BoundExpression?
  {
    let name = function.rawValue
    guard arity(name, arguments, 2, span: span) else { return nil }
    let units = function == .dateTrunc ? Self.timeUnits : Self.partUnits
    guard case .literal(.string(let unit), _) = arguments[0].bound else {
      return fail(
        .invalidArguments, "\(name)'s first argument must be a quoted unit", arguments[0].syntax.span,
        help: "one of \(Self.list(units))")
    }
    guard units.contains(unit.lowercased()) else {
      return fail(
        .invalidArguments, "'\(unit)' is not a unit of \(name)", arguments[0].syntax.span,
        help: Suggestion.didYouMean(unit, among: units) ?? "units are \(Self.list(units))")
    }
    guard let time = temporal(name, arguments[1], allowDate: true) else { return nil }
    let type =
      function == .dateTrunc ? time.type : ValueType(.int64, nullable: time.type.nullable)
    return .call(function, [LiteralValues.string(unit.lowercased()), time], type)
  }

  // MARK: Argument checks

  private mutating func arity(_ name: String, _ arguments: [Argument], _ count: Int, span: Range<Int>) -> Bool {
    arity(name, arguments, count...count, span: span)
  }

  private mutating func arity(
    _ name: String, _ arguments: [Argument], _ counts: ClosedRange<Int>, span: Range<Int>
  ) -> Bool {
    if counts.contains(arguments.count) { return true }
    let expected =
      counts.lowerBound == counts.upperBound
      ? "\(counts.lowerBound)"
      : counts.upperBound == .max ? "at least \(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)"
    _ = fail(
      .invalidArguments,
      "\(name) takes \(expected) argument\(counts.upperBound == 1 ? "" : "s"), not \(arguments.count)", span)
    return false
  }

  private mutating func texts(_ arguments: [Argument]) -> [BoundExpression]? {
    var result: [BoundExpression] = []
    for argument in arguments {
      guard let text = asText(argument.bound, argument.syntax) else { return nil }
      result.append(text)
    }
    return result
  }

  private mutating func textOrBytes(_ argument: Argument) -> BoundExpression? {
    switch argument.bound.type.type {
    case .bytes, .fixed: argument.bound
    default: asText(argument.bound, argument.syntax)
    }
  }

  private mutating func integers(_ name: String, _ arguments: ArraySlice<Argument>) -> [BoundExpression]? {
    var result: [BoundExpression] = []
    for argument in arguments {
      switch argument.bound.type.type {
      case .int32, .int64, .null: result.append(Self.converted(argument.bound, to: .int64))
      default:
        _ = fail(
          .invalidArguments, "\(name) needs a whole number here, not a \(argument.bound.type.type)",
          argument.syntax.span)
        return nil
      }
    }
    return result
  }

  private mutating func numeric(_ name: String, _ argument: Argument) -> BoundExpression? {
    let type = argument.bound.type.type
    if type.isNumeric { return argument.bound }
    if type == .null { return .literal(.null, ValueType(.float64, nullable: true)) }
    return fail(
      .invalidArguments, "\(name) needs a number, but '\(written(argument.syntax))' is a \(type)", argument.syntax.span)
  }

  private mutating func temporal(_ name: String, _ argument: Argument, allowDate: Bool) -> BoundExpression? {
    switch argument.bound.type.type {
    case .timestamp: return argument.bound
    case .date where allowDate: return argument.bound
    case .null: return .literal(.null, ValueType(.timestamp(.micros, utc: true), nullable: true))
    case .string:
      if case .literal(.string(let text), _) = argument.bound {
        return quotedConstant(text, as: .timestamp(.micros, utc: true), argument.syntax)
      }
      fallthrough
    default:
      return fail(
        .invalidArguments,
        "\(name) needs a \(allowDate ? "timestamp or date" : "timestamp"), but '\(written(argument.syntax))' is a \(argument.bound.type.type)",
        argument.syntax.span)
    }
  }
}
