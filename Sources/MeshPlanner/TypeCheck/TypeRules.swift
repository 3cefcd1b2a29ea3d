import MeshData
import MeshPlan

/// SQL's promotion rules, written once for arithmetic, comparison, CASE, COALESCE and IN:
/// int widens to long, long to decimal, and any of them to double; timestamps meet at
/// the finer unit; the null literal takes the other side's type.
enum TypeRules {
  /// Decimals are 64-bit unscaled values (DataType), so no precision beyond 18 digits.
  static let maxDecimalPrecision = 18

  /// The type two values are converted to before they are combined, or nil when they
  /// cannot be.
  static func common(_ left: DataType, _ right: DataType) -> DataType? {
    if left == right { return left }
    switch (left, right) {
    case (.null, let other), (let other, .null): return other
    case (.timestamp(let a, let utcA), .timestamp(let b, let utcB)) where utcA == utcB:
      return .timestamp(finer(a, b), utc: utcA)
    case (.date, .timestamp(let unit, let utc)), (.timestamp(let unit, let utc), .date):
      return .timestamp(unit, utc: utc)
    case (.time(let a), .time(let b)): return .time(finer(a, b))
    case (.enumeration, .string), (.string, .enumeration), (.uuid, .string), (.string, .uuid): return .string
    case (.enumeration(let a, _), .enumeration(let b, _)) where a == b: return .string
    default: break
    }
    guard left.isNumeric, right.isNumeric else { return nil }
    return commonNumeric(left, right)
  }

  private static func commonNumeric(_ left: DataType, _ right: DataType) -> DataType {
    switch (left, right) {
    case (.float64, _), (_, .float64), (.float32, _), (_, .float32): return .float64
    case (.decimal(let p1, let s1), .decimal(let p2, let s2)):
      let scale = max(s1, s2)
      return .decimal(precision: min(maxDecimalPrecision, max(p1 - s1, p2 - s2) + scale), scale: scale)
    case (.decimal, let integer), (let integer, .decimal):
      return common(asDecimal(integer), left.isDecimal ? left : right) ?? .float64
    case (.int64, _), (_, .int64): return .int64
    default: return .int32
    }
  }

  /// The decimal an integer type fits in.
  static func asDecimal(_ type: DataType) -> DataType {
    switch type {
    case .int32: .decimal(precision: 10, scale: 0)
    case .int64: .decimal(precision: maxDecimalPrecision, scale: 0)
    default: type
    }
  }

  /// The result type of `left op right` for + - * / %, or nil when the operator does not
  /// apply. Division always gives a double (and NULL for a zero divisor, as DuckDB does).
  static func arithmetic(_ op: ArithmeticOperator, _ left: DataType, _ right: DataType) -> DataType? {
    switch (op, left, right) {
    case (.add, .timestamp, .duration), (.subtract, .timestamp, .duration): return left
    case (.add, .duration, .timestamp): return right
    case (.subtract, .timestamp, .timestamp): return .duration
    case (.add, .duration, .duration), (.subtract, .duration, .duration): return .duration
    case (.add, .date, .int32), (.subtract, .date, .int32): return .date
    default: break
    }
    guard left.isNumeric || left == .null, right.isNumeric || right == .null else { return nil }
    if op == .divide { return .float64 }
    guard let joined = common(left, right) else { return nil }
    if case .null = joined { return .int32 }
    if op == .multiply, case .decimal(let p1, let s1) = asDecimal(left),
      case .decimal(let p2, let s2) = asDecimal(right),
      joined.isDecimal
    {
      return .decimal(precision: min(maxDecimalPrecision, p1 + p2), scale: min(maxDecimalPrecision, s1 + s2))
    }
    if op == .add || op == .subtract, case .decimal(let precision, let scale) = joined {
      return .decimal(precision: min(maxDecimalPrecision, precision + 1), scale: scale)
    }
    return joined
  }

  /// Whether `<`, `>` and friends order values of this type (equality applies to more).
  static func isOrdered(_ type: DataType) -> Bool {
    switch type {
    case .null, .boolean, .int32, .int64, .float32, .float64, .decimal, .string, .bytes, .fixed, .uuid,
      .enumeration, .date, .time, .timestamp, .duration:
      true
    case .record, .array, .map, .opaque: false
    }
  }

  private static func finer(_ a: DataType.TimeUnit, _ b: DataType.TimeUnit) -> DataType.TimeUnit {
    a.perSecond >= b.perSecond ? a : b
  }
}

extension DataType {
  var isDecimal: Bool {
    if case .decimal = self { return true }
    return false
  }

  var isTimestamp: Bool {
    if case .timestamp = self { return true }
    return false
  }
}
