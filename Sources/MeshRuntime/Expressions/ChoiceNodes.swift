import MeshData
import MeshPlan

/// CASE WHEN: each row takes the value of the first branch whose condition is TRUE (not
/// NULL), else the ELSE value, else NULL. Values are computed for every row, but a
/// failure counts only for the rows that take that branch.
struct CaseNode: VectorNode {
  let conditions: [any VectorNode]
  let values: [any VectorNode]
  let otherwise: (any VectorNode)?
  let type: ValueType

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    let count = batch.rowCount
    var choice = [Int](repeating: -1, count: count)
    var columns: [Column] = []
    var branchContexts: [EvaluationContext] = []
    for (index, (condition, value)) in zip(conditions, values).enumerated() {
      let truth = condition.evaluate(batch, &context).column(count: count, type: .boolean)
      if case .boolean(let flags) = truth.values {
        for row in 0..<count where choice[row] < 0 && flags[row] && !truth.isNull(row) { choice[row] = index }
      }
      var branch = EvaluationContext()
      columns.append(value.evaluate(batch, &branch).column(count: count, type: type.type))
      branchContexts.append(branch)
    }
    if let otherwise {
      var branch = EvaluationContext()
      columns.append(otherwise.evaluate(batch, &branch).column(count: count, type: type.type))
      branchContexts.append(branch)
      for row in 0..<count where choice[row] < 0 { choice[row] = conditions.count }
    }
    for (index, branch) in branchContexts.enumerated() {
      context.append(branch) { row in choice[row] == index }
    }
    return Choice.pick(columns, choice, type: type.type).map(Vector.column) ?? .constant(.null)
  }
}

/// `a || b`: NULL when either is.
enum ConcatKernel {
  static let kernel: BinaryNode.Kernel = { l, r, count, _ in
    guard let a = BinaryOperand(l), let b = BinaryOperand(r) else { return .constant(.null) }
    let validity = Bitmap.both(l.validity, r.validity)
    return .column(
      Kernels.binaryColumn(count: count, type: .string) { row, out in
        guard Bitmap.isPresent(validity, row) else { return false }
        out += Kernels.bytes(a, row)
        out += Kernels.bytes(b, row)
        return true
      })
  }
}

/// `text [NOT] LIKE 'pattern'`.
struct LikeNode: VectorNode {
  let operand: any VectorNode
  let pattern: LikePattern
  let negated: Bool
  let type: ValueType

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    let value = operand.evaluate(batch, &context)
    guard let text = BinaryOperand(value) else { return .constant(.null) }
    let count = batch.rowCount
    if case .scalar(let bytes) = text { return .constant(.boolean(pattern.matches(bytes[...]) != negated)) }
    var values = [Bool](repeating: false, count: count)
    for row in 0..<count { values[row] = pattern.matches(Kernels.bytes(text, row)) != negated }
    return .column(Column(type: .boolean, values: .boolean(values), validity: value.validity))
  }
}
