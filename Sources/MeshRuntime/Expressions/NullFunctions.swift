import MeshData
import MeshPlan

/// coalesce (the first argument that is not NULL) and nullif (NULL where the two are
/// equal).
enum NullFunctions {
  static func kernel(_ function: ScalarFunction, result: ValueType) -> CallNode.Kernel? {
    switch function {
    case .coalesce:
      return { args, count, _ in
        if let first = args.first(where: { !$0.isNullConstant }), case .constant = first { return first }
        let columns = args.map { $0.column(count: count, type: result.type) }
        var choice = [Int](repeating: -1, count: count)
        for row in 0..<count { choice[row] = columns.firstIndex { !$0.isNull(row) } ?? -1 }
        return Choice.pick(columns, choice, type: result.type).map(Vector.column) ?? .constant(.null)
      }
    case .nullif:
      guard let equal = ComparisonKernels.kernel(.equal, operands: result.type) else { return nil }
      return { args, count, context in
        if args[0].isNullConstant { return .constant(.null) }
        if args[1].isNullConstant { return args[0] }
        let same = equal(args[0], args[1], count, &context)
        let column = args[0].column(count: count, type: result.type)
        guard case .column(let sameColumn) = same, case .boolean(let values) = sameColumn.values else { return args[0] }
        let choice = (0..<count).map { row in values[row] && !sameColumn.isNull(row) ? -1 : 0 }
        return Choice.pick([column], choice, type: result.type).map(Vector.column) ?? .constant(.null)
      }
    default:
      return nil
    }
  }
}
