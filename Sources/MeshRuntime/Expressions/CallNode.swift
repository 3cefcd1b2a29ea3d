import MeshData
import MeshPlan

/// A scalar function: its arguments evaluated, then one loop chosen at compile time.
/// Each kernel decides what NULL arguments give (most give NULL; coalesce, concat,
/// least and greatest skip them).
struct CallNode: VectorNode {
  typealias Kernel = @Sendable ([Vector], Int, inout EvaluationContext) -> Vector

  let arguments: [any VectorNode]
  let type: ValueType
  let kernel: Kernel

  func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Vector {
    var values: [Vector] = []
    values.reserveCapacity(arguments.count)
    for argument in arguments { values.append(argument.evaluate(batch, &context)) }
    return kernel(values, batch.rowCount, &context)
  }
}

/// Row-at-a-time helpers for the functions whose work is per value anyway (strings,
/// calendars, hashes).
enum RowWise {
  /// A string result from one string argument; NULL in, NULL out.
  static func strings(
    _ v: Vector, count: Int, type: DataType = .string, _ f: (ArraySlice<UInt8>, inout [UInt8]) -> Void
  ) -> Vector {
    guard let operand = BinaryOperand(v) else { return .constant(.null) }
    let validity = v.validity
    return .column(
      Kernels.binaryColumn(count: count, type: type) { row, out in
        guard Bitmap.isPresent(validity, row) else { return false }
        f(Kernels.bytes(operand, row), &out)
        return true
      })
  }

  /// A fixed-width result from one string argument; NULL in, NULL out.
  static func values<R: FixedWidthValue>(
    _ v: Vector, count: Int, type: DataType, zero: R, _ f: (ArraySlice<UInt8>) -> R
  ) -> Vector {
    guard let operand = BinaryOperand(v) else { return .constant(.null) }
    var values = [R](repeating: zero, count: count)
    for row in 0..<count { values[row] = f(Kernels.bytes(operand, row)) }
    return .column(Column(type: type, values: R.wrap(values), validity: v.validity))
  }

  /// The rows where every vector is present.
  static func validity(_ vectors: [Vector]) -> Bitmap? {
    vectors.reduce(nil) { Bitmap.both($0, $1.validity) }
  }

  /// Int64 of row `row` of an integer argument (a constant for every row).
  static func integer(_ v: Vector, _ row: Int) -> Int64? {
    switch v {
    case .constant(let value): return Int64.scalar(value)
    case .column(let column):
      if column.isNull(row) { return nil }
      switch column.values {
      case .int64(let values): return values[row]
      case .int32(let values): return Int64(values[row])
      default: return nil
      }
    }
  }
}

/// UTF-8 text by characters (Unicode scalars), without decoding into String.
enum UTF8Text {
  @inline(__always)
  static func isLead(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }

  static func characterCount(_ bytes: ArraySlice<UInt8>) -> Int {
    var count = 0
    for byte in bytes where isLead(byte) { count += 1 }
    return count
  }

  /// The byte offsets (from the slice's start) where each character starts, and the end.
  static func boundaries(_ bytes: ArraySlice<UInt8>) -> [Int] {
    var result: [Int] = []
    var offset = 0
    for byte in bytes {
      if isLead(byte) { result.append(offset) }
      offset += 1
    }
    result.append(offset)
    return result
  }

  /// Characters `from..<to` (clamped) of the text.
  static func characters(_ bytes: ArraySlice<UInt8>, _ from: Int, _ to: Int) -> ArraySlice<UInt8> {
    let marks = boundaries(bytes)
    let characters = marks.count - 1
    let start = min(max(0, from), characters)
    let end = min(max(start, to), characters)
    return bytes[(bytes.startIndex + marks[start])..<(bytes.startIndex + marks[end])]
  }
}
