import MeshData
import MeshPlan

/// A compiled expression node: it computes its value for a whole batch at once, so the
/// tree is walked once per batch, never once per record. Field positions, types and the
/// loop each node runs are fixed when it is compiled.
protocol VectorNode: Sendable {
  var type: ValueType { get }
  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector
}

/// A field by its position path; a field inside a null record is null.
struct FieldNode: VectorNode {
  let path: [Int]
  let type: ValueType

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    guard let first = path.first, batch.columns.indices.contains(first) else { return .constant(.null) }
    var column = batch.columns[first]
    var validity = column.validity
    for index in path.dropFirst() {
      guard case .record(let fields, _) = column.values, fields.indices.contains(index) else { return .constant(.null) }
      column = fields[index]
      validity = Bitmap.both(validity, column.validity)
    }
    column.validity = validity
    return .column(column)
  }
}

struct ConstantNode: VectorNode {
  let value: ScalarValue
  let type: ValueType

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector { .constant(value) }
}

/// Two operands, null when either is, and a loop chosen at compile time.
struct BinaryNode: VectorNode {
  typealias Kernel = @Sendable (Vector, Vector, Int, inout EvaluationContext) -> Vector

  let left: any VectorNode
  let right: any VectorNode
  let type: ValueType
  let kernel: Kernel

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    let l = left.evaluate(batch, &context)
    let r = right.evaluate(batch, &context)
    if l.isNullConstant || r.isNullConstant { return .constant(.null) }
    return kernel(l, r, batch.rowCount, &context)
  }
}

/// One operand, null when it is.
struct UnaryNode: VectorNode {
  typealias Kernel = @Sendable (Vector, Int, inout EvaluationContext) -> Vector

  let operand: any VectorNode
  let type: ValueType
  let kernel: Kernel

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    let value = operand.evaluate(batch, &context)
    if value.isNullConstant { return .constant(.null) }
    return kernel(value, batch.rowCount, &context)
  }
}

extension Bitmap {
  /// One bit per value of `bools`.
  static func from(_ bools: [Bool]) -> Bitmap {
    var words = [UInt64](repeating: 0, count: (bools.count + 63) / 64)
    bools.withUnsafeBufferPointer { values in
      for (index, value) in values.enumerated() where value { words[index >> 6] |= 1 << UInt64(index & 63) }
    }
    return Bitmap(words: words, count: bools.count)
  }

  /// Whether row `row` is present in an optional bitmap (nil: every row is).
  @inline(__always)
  static func isPresent(_ bitmap: Bitmap?, _ row: Int) -> Bool { bitmap.map { $0[row] } ?? true }
}
