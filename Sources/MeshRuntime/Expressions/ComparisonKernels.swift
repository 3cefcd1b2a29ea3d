import MeshData
import MeshPlan

/// = <> < <= > >= on values of one representation (the checker converts both sides to
/// it): numbers and times by value, strings and bytes by their bytes (which orders UTF-8
/// text by code point), booleans false before true, enums by symbol position.
enum ComparisonKernels {
  static func kernel(_ op: ComparisonOperator, operands: DataType) -> BinaryNode.Kernel? {
    switch operands.physical {
    case .boolean:
      return { l, r, count, _ in compare(op, Bool.self, l, r, count: count) { $0 == $1 ? 0 : (!$0 && $1) ? -1 : 1 } }
    case .int32: return { l, r, count, _ in ordered(op, Int32.self, l, r, count: count) }
    case .int64: return { l, r, count, _ in ordered(op, Int64.self, l, r, count: count) }
    case .float32: return { l, r, count, _ in ordered(op, Float.self, l, r, count: count) }
    case .float64: return { l, r, count, _ in ordered(op, Double.self, l, r, count: count) }
    case .binary:
      return { l, r, count, _ in
        guard let a = BinaryOperand(l), let b = BinaryOperand(r) else { return .constant(.null) }
        let values = Kernels.compareBinary(a, b, count: count) { order in holds(op, order) }
        return .column(Column(type: .boolean, values: .boolean(values), validity: Bitmap.both(l.validity, r.validity)))
      }
    case .record, .list, .map: return nil
    }
  }

  @inline(__always)
  static func holds(_ op: ComparisonOperator, _ order: Int) -> Bool {
    switch op {
    case .equal: order == 0
    case .notEqual: order != 0
    case .less: order < 0
    case .lessOrEqual: order <= 0
    case .greater: order > 0
    case .greaterOrEqual: order >= 0
    }
  }

  /// One loop per operator, so each is a plain vectorizable comparison.
  private static func ordered<T: FixedWidthValue & Comparable>(
    _ op: ComparisonOperator, _: T.Type, _ l: Vector, _ r: Vector, count: Int
  ) -> Vector {
    guard let a = Operand<T>(l), let b = Operand<T>(r) else { return .constant(.null) }
    let values: [Bool]
    switch op {
    case .equal: values = Kernels.map(a, b, count: count) { $0 == $1 }
    case .notEqual: values = Kernels.map(a, b, count: count) { $0 != $1 }
    case .less: values = Kernels.map(a, b, count: count) { $0 < $1 }
    case .lessOrEqual: values = Kernels.map(a, b, count: count) { $0 <= $1 }
    case .greater: values = Kernels.map(a, b, count: count) { $0 > $1 }
    case .greaterOrEqual: values = Kernels.map(a, b, count: count) { $0 >= $1 }
    }
    return .column(Column(type: .boolean, values: .boolean(values), validity: Bitmap.both(l.validity, r.validity)))
  }

  private static func compare<T: FixedWidthValue>(
    _ op: ComparisonOperator, _: T.Type, _ l: Vector, _ r: Vector, count: Int, _ order: (T, T) -> Int
  ) -> Vector {
    guard let a = Operand<T>(l), let b = Operand<T>(r) else { return .constant(.null) }
    let values = Kernels.map(a, b, count: count) { holds(op, order($0, $1)) }
    return .column(Column(type: .boolean, values: .boolean(values), validity: Bitmap.both(l.validity, r.validity)))
  }
}
