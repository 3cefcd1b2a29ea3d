import MeshData
import MeshPlan

/// + - * / % and negation. Integer and decimal results that do not fit 64 bits are row
/// failures (the record goes to the dead letters); division and remainder by zero are
/// NULL, as in DuckDB; doubles follow IEEE 754.
enum ArithmeticKernels {
  static func kernel(
    _ op: ArithmeticOperator, left: DataType, right: DataType, result: ValueType
  )
    -> BinaryNode.Kernel?
  {
    switch (left, right) {
    case (.timestamp(let unit, _), .duration): return shifted(op, durationUnit: unit, durationOnRight: true, result)
    case (.duration, .timestamp(let unit, _)): return shifted(op, durationUnit: unit, durationOnRight: false, result)
    case (.timestamp(let unit, _), .timestamp):
      // A difference in the unit, then in microseconds.
      return { l, r, count, context in
        let difference = integers(.subtract, Int64.self, l, r, count: count, result: result, &context)
        guard case .column(var micros) = rescaled(difference, from: unit, to: .micros, &context) else {
          return .constant(.null)
        }
        micros.type = result.type
        return .column(micros)
      }
    default: break
    }
    switch result.type.physical {
    case .int32:
      return { l, r, count, context in integers(op, Int32.self, l, r, count: count, result: result, &context) }
    case .int64:
      return { l, r, count, context in integers(op, Int64.self, l, r, count: count, result: result, &context) }
    case .float64: return { l, r, count, _ in floats(op, Double.self, l, r, count: count, result: result) }
    case .float32: return { l, r, count, _ in floats(op, Float.self, l, r, count: count, result: result) }
    default: return nil
    }
  }

  static func integers<T: FixedWidthInteger & FixedWidthValue>(
    _ op: ArithmeticOperator, _: T.Type, _ l: Vector, _ r: Vector, count: Int, result: ValueType,
    _ context: inout EvaluationContext
  ) -> Vector {
    guard let a = Operand<T>(l), let b = Operand<T>(r) else { return .constant(.null) }
    var overflow: UInt8 = 0
    var validity = Bitmap.both(l.validity, r.validity)
    let values: [T]
    switch op {
    case .add:
      values = Kernels.map(a, b, count: count) { x, y in
        let (sum, o) = x.addingReportingOverflow(y)
        overflow |= o ? 1 : 0
        return sum
      }
    case .subtract:
      values = Kernels.map(a, b, count: count) { x, y in
        let (difference, o) = x.subtractingReportingOverflow(y)
        overflow |= o ? 1 : 0
        return difference
      }
    case .multiply:
      values = Kernels.map(a, b, count: count) { x, y in
        let (product, o) = x.multipliedReportingOverflow(by: y)
        overflow |= o ? 1 : 0
        return product
      }
    case .divide, .remainder:
      // The checker makes `/` a double division; integers reach here only for `%`.
      values = Kernels.map(a, b, count: count) { x, y in
        y == 0 ? 0 : x.remainderReportingOverflow(dividingBy: y).partialValue
      }
      let nonZero = Bitmap.from(Kernels.map(b, count: count) { $0 != 0 })
      validity = Bitmap.both(validity, nonZero)
    }
    if overflow != 0 {
      let check = Kernels.map(a, b, count: count) { x, y in
        switch op {
        case .add: x.addingReportingOverflow(y).overflow
        case .subtract: x.subtractingReportingOverflow(y).overflow
        case .multiply: x.multipliedReportingOverflow(by: y).overflow
        case .divide, .remainder: false
        }
      }
      for row in 0..<count where check[row] && Bitmap.isPresent(validity, row) {
        context.fail(row: row, "\(result.type) overflow in '\(op.rawValue)'")
      }
    }
    return .column(Column(type: result.type, values: T.wrap(values), validity: validity))
  }

  static func floats<T: BinaryFloatingPoint & FixedWidthValue>(
    _ op: ArithmeticOperator, _: T.Type, _ l: Vector, _ r: Vector, count: Int, result: ValueType
  ) -> Vector {
    guard let a = Operand<T>(l), let b = Operand<T>(r) else { return .constant(.null) }
    var validity = Bitmap.both(l.validity, r.validity)
    let values: [T]
    switch op {
    case .add: values = Kernels.map(a, b, count: count) { $0 + $1 }
    case .subtract: values = Kernels.map(a, b, count: count) { $0 - $1 }
    case .multiply: values = Kernels.map(a, b, count: count) { $0 * $1 }
    case .divide, .remainder:
      values =
        op == .divide
        ? Kernels.map(a, b, count: count) { x, y in y == 0 ? 0 : x / y }
        : Kernels.map(a, b, count: count) { x, y in y == 0 ? 0 : x.truncatingRemainder(dividingBy: y) }
      validity = Bitmap.both(validity, Bitmap.from(Kernels.map(b, count: count) { $0 != 0 }))
    }
    return .column(Column(type: result.type, values: T.wrap(values), validity: validity))
  }

  /// A timestamp moved by a duration (microseconds), in the timestamp's unit.
  private static func shifted(
    _ op: ArithmeticOperator, durationUnit unit: DataType.TimeUnit, durationOnRight: Bool, _ result: ValueType
  ) -> BinaryNode.Kernel {
    { l, r, count, context in
      let (time, duration) = durationOnRight ? (l, r) : (r, l)
      let span = rescaled(duration, from: .micros, to: unit, &context)
      if span.isNullConstant { return .constant(.null) }
      return integers(op, Int64.self, time, span, count: count, result: result, &context)
    }
  }

  /// Int64 time values from one unit to another (rounding down when coarser, so that a
  /// time before 1970 stays in its second).
  static func rescaled(
    _ vector: Vector, from: DataType.TimeUnit, to: DataType.TimeUnit, _ context: inout EvaluationContext
  ) -> Vector {
    if from == to { return vector }
    guard let operand = Operand<Int64>(vector) else { return .constant(.null) }
    let finer = from.perSecond < to.perSecond
    let factor = finer ? to.perSecond / from.perSecond : from.perSecond / to.perSecond
    var overflow: UInt8 = 0
    let values = Kernels.map(operand, count: vector.count) { x in
      if !finer { return x.floorDivided(by: factor) }
      let (v, o) = x.multipliedReportingOverflow(by: factor)
      overflow |= o ? 1 : 0
      return v
    }
    if overflow != 0 {
      let source = Self.array(operand, count: values.count)
      for row in source.indices
      where source[row].multipliedReportingOverflow(by: factor).overflow && Bitmap.isPresent(vector.validity, row) {
        context.fail(row: row, "a time out of range when converted to \(to.rawValue)")
      }
    }
    if case .constant = vector, let first = values.first { return .constant(.integer(first)) }
    return .column(Column(type: .int64, values: .int64(values), validity: vector.validity))
  }

  static func array<T>(_ operand: Operand<T>, count: Int) -> [T] {
    switch operand {
    case .values(let values): values
    case .scalar(let value): [T](repeating: value, count: count)
    }
  }

  static func negate(_ type: ValueType) -> UnaryNode.Kernel? {
    switch type.type.physical {
    case .int32: return { v, count, context in negateIntegers(Int32.self, v, count: count, type, &context) }
    case .int64: return { v, count, context in negateIntegers(Int64.self, v, count: count, type, &context) }
    case .float64:
      return { v, count, _ in
        guard let a = Operand<Double>(v) else { return .constant(.null) }
        return .column(
          Column(type: type.type, values: .float64(Kernels.map(a, count: count) { -$0 }), validity: v.validity))
      }
    case .float32:
      return { v, count, _ in
        guard let a = Operand<Float>(v) else { return .constant(.null) }
        return .column(
          Column(type: type.type, values: .float32(Kernels.map(a, count: count) { -$0 }), validity: v.validity))
      }
    default: return nil
    }
  }

  private static func negateIntegers<T: FixedWidthInteger & FixedWidthValue>(
    _: T.Type, _ v: Vector, count: Int, _ type: ValueType, _ context: inout EvaluationContext
  ) -> Vector {
    guard let a = Operand<T>(v) else { return .constant(.null) }
    let values = Kernels.map(a, count: count) { $0 == .min ? 0 : 0 &- $0 }
    for (row, x) in array(a, count: count).enumerated() where x == .min && Bitmap.isPresent(v.validity, row) {
      context.fail(row: row, "\(type.type) overflow in '-'")
    }
    return .column(Column(type: type.type, values: T.wrap(values), validity: v.validity))
  }
}

extension Vector {
  /// Rows of a column; 1 for a constant (callers that need a count pass the batch's).
  var count: Int {
    if case .column(let column) = self { return column.count }
    return 1
  }
}
