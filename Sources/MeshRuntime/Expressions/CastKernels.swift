import MeshBytes
import MeshData
import MeshPlan

/// CAST and the implicit conversions the checker inserts. Numbers convert through one
/// of two forms (scaled integers or doubles), rounding half away from zero; a number
/// out of the target's range is a row failure; text that does not read as the target
/// is NULL.
enum CastKernels {
  static func kernel(from: DataType, to target: ValueType) -> UnaryNode.Kernel {
    let to = target.type
    if to == .string || to == .bytes {
      switch from {
      case .string, .uuid, .bytes, .fixed: return { v, _, _ in retyped(v, to) }
      default: return { v, count, _ in text(v, from: from, count: count, to) }
      }
    }
    if from.isText || from == .bytes { return { v, count, _ in parsed(v, count: count, to) } }
    switch (from, to) {
    case (.int32, .int64):
      return { v, count, _ in mapped(v, Int32.self, count: count, to) { Int64($0) } }
    case (.int32, .float64):
      return { v, count, _ in mapped(v, Int32.self, count: count, to) { Double($0) } }
    case (.int64, .float64):
      return { v, count, _ in mapped(v, Int64.self, count: count, to) { Double($0) } }
    case (.float32, .float64):
      return { v, count, _ in mapped(v, Float.self, count: count, to) { Double($0) } }
    case (.date, .timestamp(let unit, _)):
      return { v, count, context in
        let perDay = 86_400 * unit.perSecond
        return checkedMap(v, Int32.self, count: count, to, &context) {
          Int64($0).multipliedReportingOverflow(by: perDay)
        }
      }
    case (.timestamp(let unit, _), .date):
      return { v, count, context in
        let perDay = 86_400 * unit.perSecond
        return checkedMap(v, Int64.self, count: count, to, &context) { value in
          let day = value.floorDivided(by: perDay)
          return (Int32(truncatingIfNeeded: day), Int32(exactly: day) == nil)
        }
      }
    case (.timestamp(let a, _), .timestamp(let b, _)):
      return { v, _, context in
        var moved = ArithmeticKernels.rescaled(v, from: a, to: b, &context)
        if case .column(var column) = moved {
          column.type = to
          moved = .column(column)
        }
        return moved
      }
    default:
      return { v, count, context in numeric(v, from: from, count: count, to, &context) }
    }
  }

  private static func retyped(_ vector: Vector, _ type: DataType) -> Vector {
    guard case .column(var column) = vector else { return vector }
    column.type = type
    return .column(column)
  }

  private static func mapped<A: FixedWidthValue, R: FixedWidthValue>(
    _ v: Vector, _: A.Type, count: Int, _ to: DataType, _ f: (A) -> R
  ) -> Vector {
    guard let a = Operand<A>(v) else { return .constant(.null) }
    return .column(Column(type: to, values: R.wrap(Kernels.map(a, count: count, f)), validity: v.validity))
  }

  private static func checkedMap<A: FixedWidthValue, R: FixedWidthValue>(
    _ v: Vector, _: A.Type, count: Int, _ to: DataType, _ context: inout EvaluationContext, _ f: (A) -> (R, Bool)
  ) -> Vector {
    guard let a = Operand<A>(v) else { return .constant(.null) }
    let results = Kernels.map(a, count: count, f)
    for (row, result) in results.enumerated() where result.1 && Bitmap.isPresent(v.validity, row) {
      context.fail(row: row, "a value out of range for \(to)")
    }
    return .column(Column(type: to, values: R.wrap(results.map(\.0)), validity: v.validity))
  }

  // MARK: Numbers

  /// A number in one of the two forms every numeric cast goes through.
  private enum Number {
    case scaled([Int64], scale: Int)
    case doubles([Double])
  }

  private static func number(_ v: Vector, from: DataType, count: Int) -> Number? {
    let column = v.column(count: count, type: from)
    switch (from, column.values) {
    case (.decimal(_, let scale), .int64(let values)): return .scaled(values, scale: scale)
    case (_, .int64(let values)): return .scaled(values, scale: 0)
    case (_, .int32(let values)): return .scaled(values.map(Int64.init), scale: 0)
    case (_, .boolean(let values)): return .scaled(values.map { $0 ? 1 : 0 }, scale: 0)
    case (_, .float64(let values)): return .doubles(values)
    case (_, .float32(let values)): return .doubles(values.map(Double.init))
    default: return nil
    }
  }

  private static func numeric(
    _ v: Vector, from: DataType, count: Int, _ to: DataType, _ context: inout EvaluationContext
  ) -> Vector {
    guard let number = number(v, from: from, count: count) else { return .constant(.null) }
    var failed = [Bool](repeating: false, count: count)
    let values: ColumnValues
    switch to {
    case .boolean:
      switch number {
      case .scaled(let ints, _): values = .boolean(ints.map { $0 != 0 })
      case .doubles(let doubles): values = .boolean(doubles.map { $0 != 0 })
      }
    case .float64, .float32:
      let doubles: [Double]
      switch number {
      case .scaled(let ints, let scale):
        let divisor = pow10(scale)
        doubles = ints.map { Double($0) / divisor }
      case .doubles(let d): doubles = d
      }
      values = to == .float32 ? .float32(doubles.map(Float.init)) : .float64(doubles)
    case .int32, .int64, .decimal, .date, .time, .timestamp, .duration, .enumeration:
      let targetScale: Int
      if case .decimal(_, let scale) = to { targetScale = scale } else { targetScale = 0 }
      var ints = [Int64](repeating: 0, count: count)
      for row in 0..<count {
        let converted: Int64?
        switch number {
        case .scaled(let source, let scale): converted = rescale(source[row], from: scale, to: targetScale)
        case .doubles(let doubles):
          let scaled = (doubles[row] * pow10(targetScale)).rounded(.toNearestOrAwayFromZero)
          converted = scaled.isFinite ? Int64(exactly: scaled) : nil
        }
        if let converted, to.physical != .int32 || Int32(exactly: converted) != nil {
          ints[row] = converted
        } else {
          failed[row] = true
        }
      }
      values = to.physical == .int32 ? .int32(ints.map { Int32(truncatingIfNeeded: $0) }) : .int64(ints)
    default:
      return .constant(.null)
    }
    for row in 0..<count where failed[row] && Bitmap.isPresent(v.validity, row) {
      context.fail(row: row, "a value out of range for \(to)")
    }
    return .column(Column(type: to, values: values, validity: v.validity))
  }

  static func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<max(0, exponent) { result *= 10 }
    return result
  }

  /// An unscaled decimal at another scale, rounding half away from zero; nil when it
  /// does not fit.
  static func rescale(_ value: Int64, from: Int, to: Int) -> Int64? {
    if from == to { return value }
    if to > from {
      var result = value
      for _ in 0..<(to - from) {
        let (next, overflow) = result.multipliedReportingOverflow(by: 10)
        if overflow { return nil }
        result = next
      }
      return result
    }
    var divisor: Int64 = 1
    for _ in 0..<(from - to) {
      let (next, overflow) = divisor.multipliedReportingOverflow(by: 10)
      if overflow { return 0 }
      divisor = next
    }
    let quotient = value / divisor
    let remainder = value % divisor
    if remainder.magnitude * 2 >= divisor.magnitude { return value < 0 ? quotient - 1 : quotient + 1 }
    return quotient
  }

  // MARK: Text

  private static func text(_ v: Vector, from: DataType, count: Int, _ to: DataType) -> Vector {
    let column = v.column(count: count, type: from)
    return .column(
      Kernels.binaryColumn(count: count, type: to) { row, out in
        guard !column.isNull(row) else { return false }
        ValueText.append(column, row, to: &out)
        return true
      })
  }

  private static func parsed(_ v: Vector, count: Int, _ to: DataType) -> Vector {
    guard let operand = BinaryOperand(v) else { return .constant(.null) }
    let validity = v.validity
    var present = [Bool](repeating: true, count: count)
    func each<T: FixedWidthValue>(_ zero: T, _ parse: (String) -> T?) -> ColumnValues {
      var values = [T](repeating: zero, count: count)
      for row in 0..<count {
        guard Bitmap.isPresent(validity, row),
          let value = parse(String(decoding: Kernels.bytes(operand, row), as: UTF8.self))
        else {
          present[row] = false
          continue
        }
        values[row] = value
      }
      return T.wrap(values)
    }
    let values: ColumnValues
    switch to {
    case .boolean:
      values = each(false) { text in
        switch text.lowercased() {
        case "true", "t", "1", "yes": true
        case "false", "f", "0", "no": false
        default: nil
        }
      }
    case .int32: values = each(Int32(0)) { Int32($0.trimmingSpaces) }
    case .int64: values = each(Int64(0)) { Int64($0.trimmingSpaces) }
    case .float64: values = each(0.0) { Double($0.trimmingSpaces) }
    case .float32: values = each(Float(0)) { Float($0.trimmingSpaces) }
    case .decimal(let precision, let scale): values = each(Int64(0)) { decimal($0.trimmingSpaces, precision, scale) }
    case .date:
      values = each(Int32(0)) { text in
        guard text.utf8.count == 10, case .success(let time) = EventTime.parse(text) else { return nil }
        return Int32(exactly: time.millisecondsSinceEpoch / 86_400_000)
      }
    case .timestamp(let unit, _):
      values = each(Int64(0)) { text in
        guard case .success(let time) = EventTime.parse(text) else { return nil }
        let (value, overflow) = time.millisecondsSinceEpoch.multipliedReportingOverflow(by: unit.perSecond / 1000)
        return overflow ? nil : value
      }
    case .enumeration(_, let symbols):
      values = each(Int32(0)) { text in symbols.firstIndex(of: text).map { Int32($0) } }
    default:
      return .constant(.null)
    }
    let validity2 = present.allSatisfy { $0 } ? nil : Bitmap.from(present)
    return .column(Column(type: to, values: values, validity: validity2))
  }

  /// `-12.345` at scale 2 is -1235 (rounded); nil when malformed or too long.
  static func decimal(_ text: String, _ precision: Int, _ scale: Int) -> Int64? {
    var digits = Substring(text)
    let negative = digits.first == "-"
    if negative || digits.first == "+" { digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    guard let whole = parts.first, !(whole.isEmpty && parts.count < 2),
      whole.allSatisfy(\.isASCIIDigitCharacter), parts.count < 2 || parts[1].allSatisfy(\.isASCIIDigitCharacter)
    else { return nil }
    let fraction = parts.count > 1 ? parts[1] : ""
    let significant = whole.drop { $0 == "0" }
    let combined = String(whole) + fraction
    guard significant.count <= precision - scale, fraction.count <= 18, !combined.isEmpty,
      let unscaled = Int64(combined)
    else { return nil }
    guard let value = rescale(unscaled, from: fraction.count, to: scale) else { return nil }
    return negative ? -value : value
  }
}

extension Character {
  var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension String {
  /// Without leading and trailing spaces and tabs (as CSV fields often carry them).
  var trimmingSpaces: String {
    let scalars = unicodeScalars
    let start = scalars.firstIndex { $0 != " " && $0 != "\t" } ?? scalars.endIndex
    let end = scalars.lastIndex { $0 != " " && $0 != "\t" }.map { scalars.index(after: $0) } ?? start
    return String(scalars[start..<max(start, end)])
  }
}
