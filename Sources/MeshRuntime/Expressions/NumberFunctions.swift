import Foundation
import MeshData
import MeshPlan

/// abs, round, floor, ceil (keeping the argument's type), sqrt, ln, exp, power
/// (doubles; NULL outside their domain), least and greatest (skipping NULLs).
enum NumberFunctions {
  static func kernel(_ function: ScalarFunction, argumentTypes: [DataType], result: ValueType) -> CallNode.Kernel? {
    guard let first = argumentTypes.first else { return nil }
    switch function {
    case .abs, .floor, .ceil, .round:
      return { args, count, context in rounding(function, first, args, count: count, &context) }
    case .sqrt, .ln, .exp:
      return { args, count, _ in
        guard let a = Operand<Double>(args[0]) else { return .constant(.null) }
        let values: [Double] =
          switch function {
          case .sqrt: Kernels.map(a, count: count) { $0 >= 0 ? $0.squareRoot() : .nan }
          case .ln: Kernels.map(a, count: count) { $0 > 0 ? Foundation.log($0) : .nan }
          default: Kernels.map(a, count: count) { Foundation.exp($0) }
          }
        return doubles(values, args)
      }
    case .power:
      return { args, count, _ in
        guard let a = Operand<Double>(args[0]), let b = Operand<Double>(args[1]) else { return .constant(.null) }
        return doubles(Kernels.map(a, b, count: count) { Foundation.pow($0, $1) }, args)
      }
    case .least, .greatest:
      guard let compare = ComparisonKernels.kernel(function == .least ? .less : .greater, operands: result.type) else {
        return nil
      }
      return { args, count, context in
        let columns = args.map { $0.column(count: count, type: result.type) }
        var choice = [Int](repeating: -1, count: count)
        for (index, column) in columns.enumerated() {
          // Where the candidate beats the best so far, or the best is NULL, take it.
          let best = Choice.pick(columns, choice, type: result.type)
          let better = best.map { compare(.column(column), .column($0), count, &context) }
          let wins = better.flatMap { vector -> [Bool]? in
            guard case .column(let c) = vector, case .boolean(let values) = c.values else { return nil }
            return values
          }
          for row in 0..<count where !column.isNull(row) {
            if choice[row] < 0 || (wins?[row] ?? false) { choice[row] = index }
          }
        }
        return Choice.pick(columns, choice, type: result.type).map(Vector.column) ?? .constant(.null)
      }
    default:
      return nil
    }
  }

  /// NaN and infinities from a domain error are NULL.
  private static func doubles(_ values: [Double], _ args: [Vector]) -> Vector {
    var validity = RowWise.validity(args) ?? Bitmap(repeating: true, count: values.count)
    var anyBad = false
    for (row, value) in values.enumerated() where !value.isFinite {
      validity[row] = false
      anyBad = true
    }
    let present = anyBad || validity.nullCount > 0 ? validity : nil
    return .column(Column(type: .float64, values: .float64(values), validity: present))
  }

  private static func rounding(
    _ function: ScalarFunction, _ type: DataType, _ args: [Vector], count: Int, _ context: inout EvaluationContext
  ) -> Vector {
    let digits = args.count > 1 ? RowWise.integer(args[1], 0) ?? 0 : 0
    let value = args[0]
    switch type.physical {
    case .float64, .float32:
      let column = value.column(count: count, type: type)
      let source: [Double]
      switch column.values {
      case .float64(let values): source = values
      case .float32(let values): source = values.map(Double.init)
      default: return .constant(.null)
      }
      let scale = CastKernels.pow10(Int(clamping: Swift.max(0, Swift.min(digits, 300))))
      let values: [Double] = source.map { x in
        switch function {
        case .abs: Swift.abs(x)
        case .floor: x.rounded(.down)
        case .ceil: x.rounded(.up)
        default: (x * scale).rounded(.toNearestOrAwayFromZero) / scale
        }
      }
      let result: ColumnValues = type == .float32 ? .float32(values.map(Float.init)) : .float64(values)
      return .column(Column(type: type, values: result, validity: column.validity))
    case .int32, .int64:
      // Integers and decimals: unscaled values, rounded at the digit the scale leaves.
      let column = value.column(count: count, type: type)
      let source: [Int64]
      switch column.values {
      case .int64(let values): source = values
      case .int32(let values): source = values.map(Int64.init)
      default: return .constant(.null)
      }
      var scale = 0
      if case .decimal(_, let s) = type { scale = s }
      var values = [Int64](repeating: 0, count: count)
      for row in 0..<count {
        let x = source[row]
        let kept = function == .round ? Int(clamping: digits) : 0
        switch function {
        case .abs:
          let fits = x != .min && (type.physical != .int32 || x != Int64(Int32.min))
          if !fits, !column.isNull(row) { context.fail(row: row, "\(type) overflow in abs") }
          values[row] = fits ? Swift.abs(x) : 0
        default:
          guard kept < scale else {
            values[row] = x
            continue
          }
          let dropped = scale - kept
          let unit = (0..<Swift.min(dropped, 18)).reduce(Int64(1)) { acc, _ in acc * 10 }
          let down = x.floorDivided(by: unit) &* unit
          switch function {
          case .floor: values[row] = down
          case .ceil: values[row] = down == x ? x : down &+ unit
          default: values[row] = (CastKernels.rescale(x, from: dropped, to: 0) ?? 0) &* unit
          }
        }
      }
      let result: ColumnValues =
        type.physical == .int32 ? .int32(values.map { Int32(truncatingIfNeeded: $0) }) : .int64(values)
      return .column(Column(type: type, values: result, validity: column.validity))
    default:
      return .constant(.null)
    }
  }
}
