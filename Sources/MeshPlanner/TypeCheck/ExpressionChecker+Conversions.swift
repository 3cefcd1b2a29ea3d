import MeshData
import MeshDiagnostics
import MeshPlan

/// Implicit conversions: the type several values meet at, and the casts (or, for
/// constants, the converted constant) that bring each value there.
extension ExpressionChecker {
  /// Binds `items` to one type: the common type of the values that are not constants,
  /// which each constant joins when it converts exactly (so `amount >= 0` compares the
  /// column as it is). A quoted constant next to a time, date, enum or duration is read
  /// as one. Nil after reporting E0604 at `span`, or without one at the first value
  /// that does not fit.
  mutating func unified(
    _ items: [(bound: BoundExpression, syntax: ExpressionSyntax)], at span: Range<Int>? = nil, purpose: String
  ) -> [BoundExpression]? {
    let variables = items.filter { !$0.bound.isLiteral }
    var target: DataType? = variables.first?.bound.type.type
    for item in variables.dropFirst() {
      guard let wider = target.flatMap({ TypeRules.common($0, item.bound.type.type) }) else {
        return mismatch(items.map(\.bound), at: span ?? item.syntax.span, purpose: purpose)
      }
      target = wider
    }
    guard var joined = target ?? Self.commonOfConstants(items.map(\.bound)) else {
      return mismatch(items.map(\.bound), at: span ?? items.last?.syntax.span ?? 0..<0, purpose: purpose)
    }
    var converted: [BoundExpression?] = items.map { _ in nil }
    for (index, item) in items.enumerated() where item.bound.isLiteral {
      if case .literal(.string(let text), _) = item.bound, Self.readsQuotedConstants(joined) {
        guard let constant = quotedConstant(text, as: joined, item.syntax) else { return nil }
        converted[index] = constant
      } else if let exact = Self.exactly(item.bound, as: joined) {
        converted[index] = exact
      } else if let wider = TypeRules.common(joined, item.bound.type.type) {
        joined = wider
      } else {
        return mismatch(items.map(\.bound), at: span ?? item.syntax.span, purpose: purpose)
      }
    }
    return items.indices.map { converted[$0] ?? Self.converted(items[$0].bound, to: joined) }
  }

  private mutating func mismatch(
    _ values: [BoundExpression], at span: Range<Int>, purpose: String
  ) -> [BoundExpression]? {
    var types: [String] = []
    for value in values where !types.contains(value.type.type.description) { types.append(value.type.type.description) }
    _ = fail(
      .typeMismatch, "cannot \(purpose) \(types.joined(separator: " and ")): they have no common type", span,
      help: "convert one side with CAST(… AS type)")
    return nil
  }

  private static func commonOfConstants(_ values: [BoundExpression]) -> DataType? {
    var joined: DataType? = values.first?.type.type
    for value in values.dropFirst() { joined = joined.flatMap { TypeRules.common($0, value.type.type) } }
    return joined
  }

  static func readsQuotedConstants(_ type: DataType) -> Bool {
    switch type {
    case .timestamp, .date, .enumeration, .duration: true
    default: false
    }
  }

  /// `'2026-11-24T00:00:00Z'` next to a timestamp, `'paid'` next to an enum.
  mutating func quotedConstant(_ text: String, as type: DataType, _ syntax: ExpressionSyntax) -> BoundExpression? {
    let result: Result<BoundExpression, LiteralValues.Invalid>
    switch type {
    case .timestamp: result = LiteralValues.timestamp(text)
    case .date: result = LiteralValues.date(text)
    case .duration: result = LiteralValues.interval(text)
    case .enumeration(let name, let symbols):
      guard let index = symbols.firstIndex(of: text) else {
        return fail(
          .invalidLiteral, "'\(text)' is not a symbol of enum \(name)", syntax.span,
          help: Suggestion.didYouMean(text, among: symbols) ?? "its symbols are \(Self.list(symbols))")
      }
      return .literal(.integer(Int64(index)), ValueType(type))
    default: return LiteralValues.string(text)
    }
    switch result {
    case .success(let constant): return Self.exactly(constant, as: type) ?? Self.converted(constant, to: type)
    case .failure(let invalid): return fail(.invalidLiteral, invalid.message, syntax.span, help: invalid.help)
    }
  }

  /// `value` as a `type`: unchanged when it already is one (decimals of one scale and
  /// timestamps of one unit share a representation), a converted constant when it
  /// converts exactly, else a cast.
  static func converted(_ value: BoundExpression, to type: DataType) -> BoundExpression {
    if sameRepresentation(value.type.type, type) { return value }
    if let exact = exactly(value, as: type) { return exact }
    return .cast(value, ValueType(type, nullable: value.type.nullable))
  }

  static func sameRepresentation(_ a: DataType, _ b: DataType) -> Bool {
    switch (a, b) {
    case (.decimal(_, let s1), .decimal(_, let s2)): s1 == s2
    case (.timestamp(let u1, _), .timestamp(let u2, _)): u1 == u2
    default: a == b
    }
  }

  /// A constant converted to `type` without loss, or nil.
  static func exactly(_ value: BoundExpression, as type: DataType) -> BoundExpression? {
    guard case .literal(let constant, let from) = value else { return nil }
    if sameRepresentation(from.type, type) { return .literal(constant, ValueType(type, nullable: from.nullable)) }
    let converted: ScalarValue? =
      switch (constant, type) {
      case (.null, _): .null
      case (.integer(let n), .int32): Int32(exactly: n).map { _ in .integer(n) }
      case (.integer(let n), .int64): .integer(n)
      case (.integer(let n), .float64), (.integer(let n), .float32):
        Double(exactly: n).map { .double($0) }
      case (.integer(let n), .decimal(_, let scale)):
        rescaled(n, from: 0, to: scale).map { .decimal(unscaled: $0, scale: scale) }
      case (.decimal(let unscaled, let from), .decimal(_, let scale)):
        rescaled(unscaled, from: from, to: scale).map { .decimal(unscaled: $0, scale: scale) }
      case (.decimal(let unscaled, let scale), .float64):
        Double(ValueText.decimal(unscaled, scale: scale)).map { .double($0) }
      case (.double(let d), .float64): .double(d)
      case (.timestamp(let t, let unit), .timestamp(let target, _)):
        retimed(t, from: unit, to: target).map { .timestamp($0, target) }
      case (.date(let days), .timestamp(let unit, _)):
        Int64(days).multipliedReportingOverflow(by: 86_400 * unit.perSecond).overflow
          ? nil : .timestamp(Int64(days) * 86_400 * unit.perSecond, unit)
      default: nil
      }
    return converted.map { .literal($0, ValueType(type, nullable: from.nullable)) }
  }

  private static func rescaled(_ unscaled: Int64, from: Int, to scale: Int) -> Int64? {
    guard scale >= from, scale - from <= TypeRules.maxDecimalPrecision else { return nil }
    var value = unscaled
    for _ in 0..<(scale - from) {
      let (next, overflow) = value.multipliedReportingOverflow(by: 10)
      if overflow { return nil }
      value = next
    }
    return value
  }

  private static func retimed(_ value: Int64, from: DataType.TimeUnit, to: DataType.TimeUnit) -> Int64? {
    if from.perSecond >= to.perSecond {
      let factor = from.perSecond / to.perSecond
      return value % factor == 0 ? value / factor : nil
    }
    let (scaled, overflow) = value.multipliedReportingOverflow(by: to.perSecond / from.perSecond)
    return overflow ? nil : scaled
  }
}

extension BoundExpression {
  var isLiteral: Bool {
    if case .literal = self { return true }
    return false
  }
}
