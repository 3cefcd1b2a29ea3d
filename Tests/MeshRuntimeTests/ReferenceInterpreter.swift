import Foundation
import MeshData
import MeshPlan

/// A second, deliberately plain implementation of the language's semantics: one record
/// at a time, by walking the tree, on constants. The evaluators must agree with it on
/// every row. Written from docs/expressions.md, not from the kernels.
enum ReferenceInterpreter {
  enum Outcome: Equatable {
    case value(ScalarValue)
    case failure
  }

  struct Failed: Error {}

  static func evaluate(_ expression: BoundExpression, _ row: [ScalarValue]) -> Outcome {
    do { return .value(try eval(expression, row)) } catch { return .failure }
  }

  static func eval(_ e: BoundExpression, _ row: [ScalarValue]) throws -> ScalarValue {
    switch e {
    case .field(let reference, _): return row[reference.path[0]]
    case .literal(let value, _): return value
    case .negate(let operand, let type):
      let v = try eval(operand, row)
      switch v {
      case .null: return .null
      case .integer(let n):
        guard n != .min, type.type != .int32 || n != Int64(Int32.min) else { throw Failed() }
        return .integer(-n)
      case .double(let d): return .double(-d)
      case .decimal(let n, let s): return .decimal(unscaled: -n, scale: s)
      default: throw Failed()
      }
    case .not(let operand):
      if case .boolean(let b) = try eval(operand, row) { return .boolean(!b) }
      return .null
    case .arithmetic(let op, let l, let r, let type):
      return try arithmetic(op, try eval(l, row), try eval(r, row), type.type)
    case .comparison(let op, let l, let r, _):
      let a = try eval(l, row)
      let b = try eval(r, row)
      // Doubles compare as IEEE 754 says: NaN is unordered, equal to nothing.
      if case .double(let x) = a, case .double(let y) = b {
        switch op {
        case .equal: return .boolean(x == y)
        case .notEqual: return .boolean(x != y)
        case .less: return .boolean(x < y)
        case .lessOrEqual: return .boolean(x <= y)
        case .greater: return .boolean(x > y)
        case .greaterOrEqual: return .boolean(x >= y)
        }
      }
      guard let order = compare(a, b) else { return .null }
      switch op {
      case .equal: return .boolean(order == 0)
      case .notEqual: return .boolean(order != 0)
      case .less: return .boolean(order < 0)
      case .lessOrEqual: return .boolean(order <= 0)
      case .greater: return .boolean(order > 0)
      case .greaterOrEqual: return .boolean(order >= 0)
      }
    case .logical(let op, let l, let r, _):
      let a = try eval(l, row)
      let b = try eval(r, row)
      func truth(_ v: ScalarValue) -> Bool? { if case .boolean(let x) = v { x } else { nil } }
      switch (op, truth(a), truth(b)) {
      case (.and, false, _), (.and, _, false): return .boolean(false)
      case (.and, true, true): return .boolean(true)
      case (.or, true, _), (.or, _, true): return .boolean(true)
      case (.or, false, false): return .boolean(false)
      default: return .null
      }
    case .concat(let l, let r, _):
      // Both sides are computed, as the evaluators do: a failure on either side counts.
      let (x, y) = (try eval(l, row), try eval(r, row))
      guard case .string(let a) = x, case .string(let b) = y else { return .null }
      return .string(a + b)
    case .isNull(let operand, let negated): return .boolean((try eval(operand, row) == .null) != negated)
    case .inList(let operand, let items, let negated, _):
      let v = try eval(operand, row)
      var sawNull = v == .null
      var found = false
      for item in items {
        let w = try eval(item, row)
        if let order = compare(v, w) { found = found || order == 0 } else { sawNull = true }
      }
      if found { return .boolean(!negated) }
      return sawNull ? .null : .boolean(negated)
    case .like(let operand, let pattern, let negated, _):
      guard case .string(let text) = try eval(operand, row) else { return .null }
      return .boolean(like(text, pattern) != negated)
    case .caseWhen(let branches, let otherwise, _):
      for branch in branches where try eval(branch.condition, row) == .boolean(true) {
        return try eval(branch.value, row)
      }
      return try otherwise.map { try eval($0, row) } ?? .null
    case .cast(let operand, let type): return try cast(try eval(operand, row), from: operand.type.type, to: type.type)
    case .call(let function, let arguments, let type):
      let values = try arguments.map { try eval($0, row) }
      return try call(function, values, arguments.map(\.type.type), type.type)
    case .aggregate: throw Failed()
    }
  }

  static func arithmetic(
    _ op: ArithmeticOperator, _ a: ScalarValue, _ b: ScalarValue, _ type: DataType
  ) throws
    -> ScalarValue
  {
    if a == .null || b == .null { return .null }
    switch (a, b) {
    case (.double(let x), .double(let y)):
      switch op {
      case .add: return .double(x + y)
      case .subtract: return .double(x - y)
      case .multiply: return .double(x * y)
      case .divide: return y == 0 ? .null : .double(x / y)
      case .remainder: return y == 0 ? .null : .double(fmod(x, y))
      }
    case (.integer(let x), .integer(let y)), (.decimal(let x, _), .decimal(let y, _)):
      let (result, overflow): (Int64, Bool)
      switch op {
      case .add: (result, overflow) = x.addingReportingOverflow(y)
      case .subtract: (result, overflow) = x.subtractingReportingOverflow(y)
      case .multiply: (result, overflow) = x.multipliedReportingOverflow(by: y)
      case .divide, .remainder:
        if y == 0 { return .null }
        (result, overflow) = (x.remainderReportingOverflow(dividingBy: y).partialValue, false)
      }
      if overflow { throw Failed() }
      if type == .int32 {
        guard let narrow = Int32(exactly: result) else { throw Failed() }
        return .integer(Int64(narrow))
      }
      if case .decimal(_, let scale) = type { return .decimal(unscaled: result, scale: scale) }
      return .integer(result)
    default: throw Failed()
    }
  }

  /// -1, 0 or 1; nil when either is NULL.
  static func compare(_ a: ScalarValue, _ b: ScalarValue) -> Int? {
    func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
    switch (a, b) {
    case (.integer(let x), .integer(let y)): return order(x, y)
    case (.double(let x), .double(let y)): return order(x, y)
    case (.decimal(let x, _), .decimal(let y, _)): return order(x, y)
    case (.string(let x), .string(let y)):
      let (p, q) = (Array(x.utf8), Array(y.utf8))
      return p == q ? 0 : p.lexicographicallyPrecedes(q) ? -1 : 1
    case (.boolean(let x), .boolean(let y)): return order(x ? 1 : 0, y ? 1 : 0)
    case (.timestamp(let x, _), .timestamp(let y, _)): return order(x, y)
    case (.date(let x), .date(let y)): return order(x, y)
    default: return nil
    }
  }

  /// LIKE through a regular expression, a different road from the evaluator's matcher.
  static func like(_ text: String, _ pattern: String) -> Bool {
    var regex = "^"
    for character in pattern {
      switch character {
      case "%": regex += ".*"
      case "_": regex += "."
      default: regex += NSRegularExpression.escapedPattern(for: String(character))
      }
    }
    regex += "$"
    guard let expression = try? NSRegularExpression(pattern: regex, options: [.dotMatchesLineSeparators]) else {
      return false
    }
    return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }

  static func cast(_ v: ScalarValue, from: DataType, to: DataType) throws -> ScalarValue {
    if v == .null { return .null }
    switch (v, to) {
    case (.integer(let n), .int64): return .integer(n)
    case (.integer(let n), .int32):
      guard Int32(exactly: n) != nil else { throw Failed() }
      return .integer(n)
    case (.integer(let n), .float64): return .double(Double(n))
    case (.integer(let n), .decimal(_, let scale)):
      let (scaled, overflow) = n.multipliedReportingOverflow(by: pow10(scale))
      if overflow { throw Failed() }
      return .decimal(unscaled: scaled, scale: scale)
    case (.decimal(let n, let s), .float64): return .double(Double(n) / Double(pow10(s)))
    case (.decimal(let n, let s), .decimal(_, let t)):
      if t >= s {
        let (scaled, overflow) = n.multipliedReportingOverflow(by: pow10(t - s))
        if overflow { throw Failed() }
        return .decimal(unscaled: scaled, scale: t)
      }
      let divisor = pow10(s - t)
      let rounded = (Double(n) / Double(divisor)).rounded(.toNearestOrAwayFromZero)
      return .decimal(unscaled: Int64(rounded), scale: t)
    case (.integer(let n), .string):
      if case .enumeration(_, let symbols) = from { return .string(symbols[Int(n)]) }
      return .string(String(n))
    case (.string(let s), .string): return .string(s)
    case (.boolean(let b), .string): return .string(b ? "true" : "false")
    case (.string(let s), .int64):
      return Int64(s.trimmingCharacters(in: .init(charactersIn: " \t"))).map(ScalarValue.integer) ?? .null
    case (.string(let s), .int32):
      return Int32(s.trimmingCharacters(in: .init(charactersIn: " \t"))).map { .integer(Int64($0)) } ?? .null
    default: throw Failed()
    }
  }

  static func pow10(_ n: Int) -> Int64 { (0..<n).reduce(1) { acc, _ in acc * 10 } }

  static func call(
    _ f: ScalarFunction, _ v: [ScalarValue], _ types: [DataType], _ type: DataType
  ) throws
    -> ScalarValue
  {
    switch f {
    case .coalesce: return v.first { $0 != .null } ?? .null
    case .nullif:
      if case .double(let x) = v[0], case .double(let y) = v[1] { return x == y ? .null : v[0] }
      return compare(v[0], v[1]) == 0 ? .null : v[0]
    case .concat: return .string(v.map { if case .string(let s) = $0 { s } else { "" } }.joined())
    default: break
    }
    if v.contains(.null) { return .null }
    switch (f, v[0]) {
    case (.length, .string(let s)): return .integer(Int64(s.unicodeScalars.count))
    case (.upper, .string(let s)): return .string(s.uppercased())
    case (.lower, .string(let s)): return .string(s.lowercased())
    case (.trim, .string(let s)): return .string(s.trimmingCharacters(in: .whitespacesAndNewlines))
    case (.startsWith, .string(let s)): if case .string(let p) = v[1] { return .boolean(s.hasPrefix(p) || p.isEmpty) }
    case (.contains, .string(let s)): if case .string(let p) = v[1] { return .boolean(p.isEmpty || s.contains(p)) }
    case (.substr, .string(let s)):
      let scalars = Array(s.unicodeScalars)
      guard case .integer(let start) = v[1] else { break }
      let length: Int64 = v.count > 2 ? { if case .integer(let l) = v[2] { l } else { 0 } }() : Int64(Int32.max)
      if length < 0 { return .null }
      let from = max(0, Int(clamping: start) - 1)
      let to = min(scalars.count, max(from, Int(clamping: start) - 1 + Int(clamping: length)))
      var out = String.UnicodeScalarView()
      if from < to { out.append(contentsOf: scalars[from..<to]) }
      return .string(String(out))
    case (.abs, .integer(let n)):
      guard n != .min, type != .int32 || n != Int64(Int32.min) else { throw Failed() }
      return .integer(Swift.abs(n))
    case (.abs, .double(let d)): return .double(Swift.abs(d))
    case (.sqrt, .double(let d)): return d >= 0 ? .double(d.squareRoot()) : .null
    default: break
    }
    throw Failed()
  }
}
