import MeshData
import MeshPlan

/// AND and OR with SQL's three-valued logic: FALSE AND NULL is FALSE, TRUE OR NULL is
/// TRUE, and otherwise NULL wins.
struct LogicalNode: VectorNode {
  let op: LogicalOperator
  let left: any VectorNode
  let right: any VectorNode
  let type: ValueType

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    let l = left.evaluate(batch, &context)
    let r = right.evaluate(batch, &context)
    let count = batch.rowCount
    // A known result: the other side decides, or nothing does.
    let absorbing = op == .and ? false : true
    if case .constant(.boolean(let value)) = l { return value == absorbing ? l : r }
    if case .constant(.boolean(let value)) = r { return value == absorbing ? r : l }
    if l.isNullConstant, r.isNullConstant { return .constant(.null) }
    let (aValues, aValid) = Self.truth(l, count)
    let (bValues, bValid) = Self.truth(r, count)
    if aValid == nil, bValid == nil {
      let values =
        op == .and
        ? Kernels.map(.values(aValues), .values(bValues), count: count) { $0 && $1 }
        : Kernels.map(.values(aValues), .values(bValues), count: count) { $0 || $1 }
      return .column(Column(type: .boolean, values: .boolean(values)))
    }
    var values = [Bool](repeating: false, count: count)
    var valid = [Bool](repeating: true, count: count)
    var anyNull = false
    for i in 0..<count {
      let aKnown = aValid.map { $0[i] } ?? true
      let bKnown = bValid.map { $0[i] } ?? true
      let a = aValues[i]
      let b = bValues[i]
      if op == .and {
        values[i] = a && b
        // Known when both are known, or either is a known FALSE.
        valid[i] = (aKnown && bKnown) || (aKnown && !a) || (bKnown && !b)
      } else {
        values[i] = a || b
        valid[i] = (aKnown && bKnown) || (aKnown && a) || (bKnown && b)
      }
      if !valid[i] { anyNull = true }
    }
    return .column(Column(type: .boolean, values: .boolean(values), validity: anyNull ? Bitmap.from(valid) : nil))
  }

  /// The values (FALSE where unknown) and which are known.
  private static func truth(_ vector: Vector, _ count: Int) -> ([Bool], [Bool]?) {
    switch vector {
    case .constant(.null): return ([Bool](repeating: false, count: count), [Bool](repeating: false, count: count))
    case .constant(let value):
      return ([Bool](repeating: Bool.scalar(value) ?? false, count: count), nil)
    case .column(let column):
      guard case .boolean(var values) = column.values else {
        return ([Bool](repeating: false, count: count), [Bool](repeating: false, count: count))
      }
      guard let validity = column.validity else { return (values, nil) }
      var known = [Bool](repeating: true, count: count)
      for i in 0..<count where !validity[i] {
        known[i] = false
        values[i] = false
      }
      return (values, known)
    }
  }
}

struct NotNode: VectorNode {
  let operand: any VectorNode
  var type: ValueType { ValueType(.boolean, nullable: operand.type.nullable) }

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    switch operand.evaluate(batch, &context) {
    case .constant(.boolean(let value)): return .constant(.boolean(!value))
    case .constant: return .constant(.null)
    case .column(let column):
      guard case .boolean(let values) = column.values else { return .constant(.null) }
      return .column(Column(type: .boolean, values: .boolean(values.map { !$0 }), validity: column.validity))
    }
  }
}

struct IsNullNode: VectorNode {
  let operand: any VectorNode
  let negated: Bool
  let type = ValueType.boolean

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    switch operand.evaluate(batch, &context) {
    case .constant(let value): return .constant(.boolean((value == .null) != negated))
    case .column(let column):
      guard let validity = column.validity else { return .constant(.boolean(negated)) }
      let values = (0..<batch.rowCount).map { validity[$0] == negated }
      return .column(Column(type: .boolean, values: .boolean(values)))
    }
  }
}
