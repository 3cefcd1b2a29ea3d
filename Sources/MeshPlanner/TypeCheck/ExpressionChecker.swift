import MeshData
import MeshDiagnostics
import MeshManifest
import MeshPlan

/// Binds an expression of a manifest to the schema of the records it reads: names become
/// field positions, every node gets a type, implicit conversions become casts, and each
/// mistake becomes a diagnostic at the exact place inside the YAML scalar. A node with a
/// mistake binds to nil and its parents stay quiet, so one mistake gives one diagnostic.
struct ExpressionChecker {
  let text: ExpressionText
  let schema: RecordSchema
  let role: ExpressionRole
  /// How the records are named in messages: "'raw'", "the output of 'valid'".
  let source: String
  var diagnostics = Diagnostics()
  /// How many aggregates enclose the node being bound.
  var aggregateDepth = 0

  /// The bound expression, or nil after reporting why it is not one.
  static func check(
    _ text: ExpressionText, against schema: RecordSchema, as role: ExpressionRole, source: String,
    into diagnostics: inout Diagnostics
  ) -> BoundExpression? {
    let syntax: ExpressionSyntax
    do {
      syntax = try ExpressionParser.parse(text.text)
    } catch {
      diagnostics.error(
        .expressionSyntax, "\(error.message) in \(role.noun)", at: text.range(ofScalars: error.span), help: error.help)
      return nil
    }
    var checker = ExpressionChecker(text: text, schema: schema, role: role, source: source)
    let bound = checker.checkRoot(syntax)
    diagnostics.append(contentsOf: checker.diagnostics)
    return bound
  }

  private mutating func checkRoot(_ syntax: ExpressionSyntax) -> BoundExpression? {
    guard let bound = bind(syntax) else { return nil }
    if role.mustBeBoolean {
      return condition(bound, syntax, what: role.noun)
    }
    if case .measure = role, !bound.containsAggregate {
      return fail(
        .misplacedAggregate, "a measure must aggregate the group: '\(text.text)' has no aggregate function",
        syntax.span,
        help: "wrap it in an aggregate such as sum(…), count(*) or max(…); grouped fields are output by themselves")
    }
    return bound
  }

  // MARK: Reporting

  mutating func fail(
    _ code: DiagnosticCode, _ message: String, _ span: Range<Int>, help: String? = nil
  ) -> BoundExpression? {
    diagnostics.error(code, message, at: text.range(ofScalars: span), help: help)
    return nil
  }

  /// The text the user wrote for a node, for messages.
  func written(_ syntax: ExpressionSyntax) -> String {
    let scalars = Array(text.text.unicodeScalars)
    let span = syntax.span.clamped(to: 0..<scalars.count)
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars[span])
    return String(result)
  }

  /// A boolean (or the null literal, read as an unknown boolean), else E0609.
  mutating func condition(_ bound: BoundExpression, _ syntax: ExpressionSyntax, what: String) -> BoundExpression? {
    switch bound.type.type {
    case .boolean: return bound
    case .null: return .literal(.null, ValueType(.boolean, nullable: true))
    default:
      return fail(
        .notBoolean, "\(what) must be a boolean, but '\(written(syntax))' is a \(bound.type.type)", syntax.span,
        help: "compare it with a value, e.g. \(written(syntax)) = …, or test it with IS NOT NULL")
    }
  }

  // MARK: Binding

  mutating func bind(_ syntax: ExpressionSyntax) -> BoundExpression? {
    switch syntax {
    case .field(let path, let span): return field(path, span)
    case .integer(let digits, let span): return literal(LiteralValues.integer(digits), span)
    case .decimal(let digits, let span): return literal(LiteralValues.decimal(digits), span)
    case .string(let value, _): return LiteralValues.string(value)
    case .boolean(let value, _): return .literal(.boolean(value), .boolean)
    case .null: return .literal(.null, .null)
    case .typedLiteral(let kind, let value, let span): return literal(LiteralValues.typed(kind, value), span)
    case .unary(let op, let operand, let span): return unary(op, operand, span)
    case .binary(let op, let left, let right, let operatorSpan, _):
      return binary(op, left, right, operatorSpan: operatorSpan)
    case .isNull(let operand, let negated, _):
      return bind(operand).map { .isNull($0, negated: negated) }
    case .inList(let operand, let items, let negated, let span): return inList(operand, items, negated: negated, span)
    case .between(let operand, let low, let high, let negated, let span):
      return between(operand, low, high, negated: negated, span)
    case .like(let operand, let pattern, let negated, _): return like(operand, pattern, negated: negated)
    case .caseWhen(let branches, let otherwise, let span): return caseWhen(branches, otherwise: otherwise, span)
    case .cast(let operand, let typeName, _): return cast(operand, typeName)
    case .call(let name, let arguments, let star, let nameSpan, let span):
      return call(name.lowercased(), arguments, star: star, nameSpan: nameSpan, span: span)
    }
  }

  private mutating func literal(
    _ result: Result<BoundExpression, LiteralValues.Invalid>, _ span: Range<Int>
  )
    -> BoundExpression?
  {
    switch result {
    case .success(let bound): return bound
    case .failure(let invalid): return fail(.invalidLiteral, invalid.message, span, help: invalid.help)
    }
  }

  /// A field path through the record and its nested records; a field inside a nullable
  /// record is nullable.
  private mutating func field(_ path: [String], _ span: Range<Int>) -> BoundExpression? {
    var record = schema
    var indices: [Int] = []
    var nullable = false
    var type = DataType.null
    for (depth, name) in path.enumerated() {
      guard let index = record.index(of: name) else {
        let owner = depth == 0 ? source : "'\(path[..<depth].joined(separator: "."))'"
        let names = record.fields.map(\.name)
        return fail(
          .unknownField, "\(owner) has no field '\(name)'", span,
          help: Suggestion.didYouMean(name, among: names) ?? "its fields are \(Self.list(names))")
      }
      let field = record.fields[index]
      indices.append(index)
      nullable = nullable || field.nullable
      type = field.type
      if depth + 1 < path.count {
        guard case .record(let inner) = field.type else {
          return fail(
            .unknownField,
            "'\(path[...depth].joined(separator: "."))' is a \(field.type), not a record: it has no field '\(path[depth + 1])'",
            span)
        }
        record = inner
      }
    }
    if case .measure(let grouped) = role, aggregateDepth == 0, let first = path.first, !grouped.contains(first) {
      return fail(
        .misplacedAggregate, "'\(path.joined(separator: "."))' is neither grouped nor aggregated in this measure", span,
        help: "aggregate it, e.g. max(\(path.joined(separator: "."))), or add '\(first)' to groupBy")
    }
    return .field(FieldReference(path: indices, names: path), ValueType(type, nullable: nullable))
  }

  static func list(_ names: [String]) -> String {
    let shown = names.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
    return names.count > 12 ? shown + ", …" : shown
  }
}
