import MeshData
import MeshPlan

/// A type-checked expression compiled to batch-at-a-time nodes: evaluating it walks the
/// tree once per batch and runs one typed loop per node over the batch's columns.
public struct CompiledExpression: Sendable {
  public let type: ValueType
  let root: any VectorNode

  public init(_ expression: BoundExpression, keys: KeyRing = KeyRing()) throws(ExpressionCompileError) {
    root = try ExpressionCompiler(keys: keys).compile(expression)
    type = expression.type
  }

  /// The value of every row of the batch (selected or not), as a column of the
  /// expression's type.
  public func evaluate(_ batch: RecordBatch, _ context: inout EvaluationContext) -> Column {
    root.evaluate(batch, &context).column(count: batch.rowCount, type: type.type)
  }

  /// The batch's selected rows for which the condition is TRUE (not FALSE, not NULL):
  /// the selection a filter gives its output.
  public func selection(_ batch: RecordBatch, _ context: inout EvaluationContext) -> [Int32] {
    let value = root.evaluate(batch, &context)
    switch value {
    case .constant(.boolean(true)): return batch.selection ?? (0..<batch.rowCount).map { Int32($0) }
    case .constant: return []
    case .column(let column):
      guard case .boolean(let flags) = column.values else { return [] }
      let validity = column.validity
      var rows: [Int32] = []
      rows.reserveCapacity(batch.count)
      if let selection = batch.selection {
        for row in selection where flags[Int(row)] && Bitmap.isPresent(validity, Int(row)) { rows.append(row) }
      } else if let validity {
        for row in 0..<batch.rowCount where flags[row] && validity[row] { rows.append(Int32(row)) }
      } else {
        flags.withUnsafeBufferPointer { flag in
          for row in 0..<batch.rowCount where flag[row] { rows.append(Int32(truncatingIfNeeded: row)) }
        }
      }
      return rows
    }
  }
}

public enum ExpressionCompileError: Error, Equatable, CustomStringConvertible {
  /// hmac names a key the key ring does not hold.
  case missingKey(String)
  /// A node the type checker should not have let through (a bug in meshc).
  case unsupported(String)

  public var description: String {
    switch self {
    case .missingKey(let name):
      "no key '\(name)' for hmac: set MESHC_KEY_\(KeyRing.environmentName(name)) to its value"
    case .unsupported(let what): "cannot compile \(what)"
    }
  }
}

/// The secret keys hmac names, by name; from the environment (`MESHC_KEY_<NAME>`, the
/// name upper-cased with other characters as '_'), never from a manifest.
public struct KeyRing: Sendable {
  public var keys: [String: [UInt8]]

  public init(_ keys: [String: [UInt8]] = [:]) { self.keys = keys }

  public static func fromEnvironment(_ environment: [String: String]) -> KeyRing {
    var ring = KeyRing()
    for (name, value) in environment where name.hasPrefix("MESHC_KEY_") { ring.keys[name] = Array(value.utf8) }
    return ring
  }

  public func key(_ name: String) -> [UInt8]? { keys[name] ?? keys["MESHC_KEY_" + Self.environmentName(name)] }

  static func environmentName(_ name: String) -> String {
    String(
      name.uppercased().unicodeScalars.map {
        ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) ? Character($0) : "_"
      })
  }
}

/// Turns each bound node into its vector node, choosing the loop by the operand types.
struct ExpressionCompiler {
  let keys: KeyRing

  func compile(_ expression: BoundExpression) throws(ExpressionCompileError) -> any VectorNode {
    // An operator on the NULL constant itself (`-NULL`, `NULL + NULL`) is NULL.
    switch expression {
    case .negate(let operand, _) where operand.type.type == .null,
      .arithmetic(_, let operand, _, _) where operand.type.type == .null,
      .arithmetic(_, _, let operand, _) where operand.type.type == .null,
      .comparison(_, let operand, _, _) where operand.type.type == .null,
      .cast(let operand, _) where operand.type.type == .null:
      return ConstantNode(value: .null, type: expression.type)
    default: break
    }
    switch expression {
    case .field(let reference, let type): return FieldNode(path: reference.path, type: type)
    case .literal(let value, let type): return ConstantNode(value: value, type: type)
    case .negate(let operand, let type):
      guard let kernel = ArithmeticKernels.negate(type) else { throw .unsupported("-\(operand.type)") }
      return UnaryNode(operand: try compile(operand), type: type, kernel: kernel)
    case .not(let operand): return NotNode(operand: try compile(operand))
    case .arithmetic(let op, let left, let right, let type):
      guard let kernel = ArithmeticKernels.kernel(op, left: left.type.type, right: right.type.type, result: type) else {
        throw .unsupported("\(left.type) \(op.rawValue) \(right.type)")
      }
      return BinaryNode(left: try compile(left), right: try compile(right), type: type, kernel: kernel)
    case .comparison(let op, let left, let right, let type):
      guard let kernel = ComparisonKernels.kernel(op, operands: left.type.type) else {
        throw .unsupported("\(left.type) \(op.rawValue) \(right.type)")
      }
      return BinaryNode(left: try compile(left), right: try compile(right), type: type, kernel: kernel)
    case .logical(let op, let left, let right, let type):
      return LogicalNode(op: op, left: try compile(left), right: try compile(right), type: type)
    case .concat(let left, let right, let type):
      return BinaryNode(left: try compile(left), right: try compile(right), type: type, kernel: ConcatKernel.kernel)
    case .isNull(let operand, let negated): return IsNullNode(operand: try compile(operand), negated: negated)
    case .inList(let operand, let items, let negated, let type):
      // x IN (a, b) is x = a OR x = b, with the same NULL rules.
      var any: BoundExpression?
      for item in items {
        let equal = BoundExpression.comparison(
          .equal, operand, item, ValueType(.boolean, nullable: operand.type.nullable || item.type.nullable))
        any = any.map { .logical(.or, $0, equal, type) } ?? equal
      }
      let test = any ?? .literal(.boolean(false), .boolean)
      return try compile(negated ? .not(test) : test)
    case .like(let operand, let pattern, let negated, let type):
      return LikeNode(operand: try compile(operand), pattern: LikePattern(pattern), negated: negated, type: type)
    case .caseWhen(let branches, let otherwise, let type):
      var conditions: [any VectorNode] = []
      var values: [any VectorNode] = []
      for branch in branches {
        conditions.append(try compile(branch.condition))
        values.append(try compile(branch.value))
      }
      return CaseNode(
        conditions: conditions, values: values,
        otherwise: try otherwise.map { e throws(ExpressionCompileError) in try compile(e) },
        type: type)
    case .cast(let operand, let type):
      return UnaryNode(
        operand: try compile(operand), type: type, kernel: CastKernels.kernel(from: operand.type.type, to: type))
    case .call(let function, let arguments, let type):
      return try call(function, arguments, type)
    case .aggregate(let function, _, _):
      throw .unsupported("\(function.rawValue)(…) outside an aggregate step")
    }
  }

  private func call(
    _ function: ScalarFunction, _ arguments: [BoundExpression], _ type: ValueType
  )
    throws(ExpressionCompileError) -> any VectorNode
  {
    var compiled: [any VectorNode] = []
    for argument in arguments { compiled.append(try compile(argument)) }
    let types = arguments.map(\.type.type)
    let kernel: CallNode.Kernel?
    switch function {
    case .length, .lower, .upper, .trim, .ltrim, .rtrim, .substr, .concat, .replace, .startsWith, .endsWith, .contains,
      .left, .right:
      kernel = StringFunctions.kernel(function, argumentTypes: types)
    case .abs, .round, .floor, .ceil, .sqrt, .power, .ln, .exp, .least, .greatest:
      kernel = NumberFunctions.kernel(function, argumentTypes: types, result: type)
    case .dateTrunc, .datePart:
      guard case .literal(.string(let unit), _)? = arguments.first, arguments.count == 2 else {
        throw .unsupported("\(function.rawValue) without a constant unit")
      }
      kernel = TimeFunctions.kernel(function, unit: unit, argument: types[1], result: type)
    case .year, .month, .day, .hour, .minute, .second, .date:
      kernel = types.first.flatMap { TimeFunctions.kernel(function, unit: nil, argument: $0, result: type) }
    case .coalesce, .nullif:
      kernel = NullFunctions.kernel(function, result: type)
    case .sha256, .mask, .redact:
      kernel = PIIFunctions.kernel(function, key: nil)
    case .hmac:
      guard case .literal(.string(let name), _)? = arguments.last else { throw .unsupported("hmac without a key name") }
      guard let key = keys.key(name) else { throw .missingKey(name) }
      kernel = PIIFunctions.kernel(function, key: key)
    }
    guard let kernel else {
      throw .unsupported("\(function.rawValue)(\(types.map(\.description).joined(separator: ", ")))")
    }
    return CallNode(arguments: compiled, type: type, kernel: kernel)
  }
}
