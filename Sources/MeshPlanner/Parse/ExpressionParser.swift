/// Parses the expression language (docs/expressions.md) by recursive descent, one
/// function per precedence level, lowest first:
///
///     OR  <  AND  <  NOT  <  comparison, IS, IN, BETWEEN, LIKE  <  + - ||  <  * / %  <  unary -
///
/// Nesting is bounded, so hostile input gets a diagnostic rather than a stack overflow.
struct ExpressionParser {
  struct Failure: Error {
    var message: String
    var span: Range<Int>
    var help: String?
  }

  static let maxDepth = 128

  private var tokens: [ExpressionToken]
  private var index = 0
  private var depth = 0

  static func parse(_ text: String) throws(Failure) -> ExpressionSyntax {
    var lexer = ExpressionLexer(text)
    let tokens: [ExpressionToken]
    do { tokens = try lexer.tokens() } catch { throw Failure(message: error.message, span: error.span) }
    var parser = ExpressionParser(tokens: tokens)
    let expression = try parser.expression()
    guard case .end = parser.current.kind else {
      throw Failure(
        message: "unexpected \(parser.describe(parser.current)) after the expression", span: parser.current.span,
        help: "combine conditions with AND or OR")
    }
    return expression
  }

  private init(tokens: [ExpressionToken]) { self.tokens = tokens }

  private var current: ExpressionToken { tokens[min(index, tokens.count - 1)] }

  private mutating func advance() -> ExpressionToken {
    let token = current
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  private func isKeyword(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }
  private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

  private mutating func accept(_ keyword: Keyword) -> Bool {
    guard isKeyword(keyword) else { return false }
    _ = advance()
    return true
  }

  private mutating func expect(_ keyword: Keyword, _ context: String) throws(Failure) -> ExpressionToken {
    guard isKeyword(keyword) else {
      throw Failure(
        message: "expected \(keyword.rawValue.uppercased()) \(context), found \(describe(current))", span: current.span)
    }
    return advance()
  }

  private mutating func expectSymbol(_ symbol: String, _ context: String) throws(Failure) -> ExpressionToken {
    guard isSymbol(symbol) else {
      throw Failure(message: "expected '\(symbol)' \(context), found \(describe(current))", span: current.span)
    }
    return advance()
  }

  func describe(_ token: ExpressionToken) -> String {
    switch token.kind {
    case .identifier(let name), .quotedIdentifier(let name): "'\(name)'"
    case .keyword(let keyword): keyword.rawValue.uppercased()
    case .integer(let text), .decimal(let text), .duration(let text): "'\(text)'"
    case .string(let text): "string '\(text)'"
    case .symbol(let symbol): "'\(symbol)'"
    case .end: "the end of the expression"
    }
  }

  private mutating func nested<T>(_ body: (inout ExpressionParser) throws(Failure) -> T) throws(Failure) -> T {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw Failure(message: "expression nested more than \(Self.maxDepth) levels deep", span: current.span)
    }
    return try body(&self)
  }

  // MARK: Levels

  mutating func expression() throws(Failure) -> ExpressionSyntax {
    try nested { parser throws(Failure) in try parser.or() }
  }

  private mutating func or() throws(Failure) -> ExpressionSyntax {
    var left = try and()
    while isKeyword(.or) {
      let token = advance()
      let right = try and()
      left = .binary("OR", left, right, operatorSpan: token.span, span: left.span.lowerBound..<right.span.upperBound)
    }
    return left
  }

  private mutating func and() throws(Failure) -> ExpressionSyntax {
    var left = try not()
    while isKeyword(.and) {
      let token = advance()
      let right = try not()
      left = .binary("AND", left, right, operatorSpan: token.span, span: left.span.lowerBound..<right.span.upperBound)
    }
    return left
  }

  private mutating func not() throws(Failure) -> ExpressionSyntax {
    guard isKeyword(.not) else { return try comparison() }
    let token = advance()
    let operand = try nested { parser throws(Failure) in try parser.not() }
    return .unary("NOT", operand, span: token.span.lowerBound..<operand.span.upperBound)
  }

  private mutating func comparison() throws(Failure) -> ExpressionSyntax {
    let left = try additive()
    let start = left.span.lowerBound
    for symbol in ["=", "<>", "!=", "<", "<=", ">", ">="] where isSymbol(symbol) {
      let token = advance()
      let right = try additive()
      return .binary(
        symbol == "!=" ? "<>" : symbol, left, right, operatorSpan: token.span, span: start..<right.span.upperBound)
    }
    if isKeyword(.is) {
      _ = advance()
      let negated = accept(.not)
      let null = try expect(.null, "after IS")
      return .isNull(left, negated: negated, span: start..<null.span.upperBound)
    }
    let negated = accept(.not)
    if accept(.in) {
      _ = try expectSymbol("(", "after IN")
      var items = [try expression()]
      while isSymbol(",") {
        _ = advance()
        items.append(try expression())
      }
      let close = try expectSymbol(")", "to close the IN list")
      return .inList(left, items, negated: negated, span: start..<close.span.upperBound)
    }
    if accept(.between) {
      let low = try additive()
      _ = try expect(.and, "between the bounds of BETWEEN")
      let high = try additive()
      return .between(left, low, high, negated: negated, span: start..<high.span.upperBound)
    }
    if accept(.like) {
      let pattern = try additive()
      return .like(left, pattern, negated: negated, span: start..<pattern.span.upperBound)
    }
    if negated {
      throw Failure(message: "expected IN, BETWEEN or LIKE after NOT, found \(describe(current))", span: current.span)
    }
    return left
  }

  private mutating func additive() throws(Failure) -> ExpressionSyntax {
    var left = try multiplicative()
    while let symbol = ["+", "-", "||"].first(where: isSymbol) {
      let token = advance()
      let right = try multiplicative()
      left = .binary(symbol, left, right, operatorSpan: token.span, span: left.span.lowerBound..<right.span.upperBound)
    }
    return left
  }

  private mutating func multiplicative() throws(Failure) -> ExpressionSyntax {
    var left = try unary()
    while let symbol = ["*", "/", "%"].first(where: isSymbol) {
      let token = advance()
      let right = try unary()
      left = .binary(symbol, left, right, operatorSpan: token.span, span: left.span.lowerBound..<right.span.upperBound)
    }
    return left
  }

  private mutating func unary() throws(Failure) -> ExpressionSyntax {
    guard isSymbol("-") || isSymbol("+") else { return try primary() }
    let token = advance()
    let operand = try nested { parser throws(Failure) in try parser.unary() }
    if token.kind == .symbol("+") { return operand }
    return .unary("-", operand, span: token.span.lowerBound..<operand.span.upperBound)
  }

  // MARK: Primaries

  private mutating func primary() throws(Failure) -> ExpressionSyntax {
    let token = current
    switch token.kind {
    case .integer(let text):
      _ = advance()
      return .integer(text, span: token.span)
    case .decimal(let text):
      _ = advance()
      return .decimal(text, span: token.span)
    case .duration(let text):
      _ = advance()
      return .typedLiteral(.interval, text, span: token.span)
    case .string(let text):
      _ = advance()
      return .string(text, span: token.span)
    case .keyword(.true), .keyword(.false):
      _ = advance()
      return .boolean(token.kind == .keyword(.true), span: token.span)
    case .keyword(.null):
      _ = advance()
      return .null(span: token.span)
    case .keyword(.timestamp), .keyword(.date), .keyword(.interval):
      _ = advance()
      // `date(placed_at)` is the function; `DATE '2026-11-24'` the constant.
      if token.kind == .keyword(.date), isSymbol("(") { return try call("date", nameSpan: token.span) }
      guard case .string(let text) = current.kind else {
        throw Failure(
          message: "expected a quoted value after \(describe(token)), found \(describe(current))", span: current.span,
          help: "e.g. TIMESTAMP '2024-05-01T00:00:00Z', DATE '2024-05-01', INTERVAL '15m'")
      }
      let literal = advance()
      let kind: ExpressionSyntax.TypedLiteralKind =
        token.kind == .keyword(.timestamp) ? .timestamp : token.kind == .keyword(.date) ? .date : .interval
      return .typedLiteral(kind, text, span: token.span.lowerBound..<literal.span.upperBound)
    case .keyword(.case):
      return try caseWhen()
    case .keyword(.cast):
      return try cast()
    case .symbol("("):
      _ = advance()
      let inner = try expression()
      _ = try expectSymbol(")", "to close '('")
      return inner
    case .identifier(let name):
      _ = advance()
      if isSymbol("(") { return try call(name, nameSpan: token.span) }
      return try fieldPath(first: name, span: token.span)
    case .quotedIdentifier(let name):
      _ = advance()
      return try fieldPath(first: name, span: token.span)
    default:
      throw Failure(
        message: token.kind == .end ? "the expression ends early" : "expected a value, found \(describe(token))",
        span: token.span)
    }
  }

  private mutating func fieldPath(first: String, span: Range<Int>) throws(Failure) -> ExpressionSyntax {
    var path = [first]
    var end = span.upperBound
    while isSymbol(".") {
      _ = advance()
      switch current.kind {
      case .identifier(let name), .quotedIdentifier(let name):
        path.append(name)
        end = advance().span.upperBound
      default:
        throw Failure(message: "expected a field name after '.', found \(describe(current))", span: current.span)
      }
    }
    return .field(path: path, span: span.lowerBound..<end)
  }

  private mutating func call(_ name: String, nameSpan: Range<Int>) throws(Failure) -> ExpressionSyntax {
    _ = advance()
    if isSymbol("*") {
      _ = advance()
      let close = try expectSymbol(")", "after '*'")
      return .call(
        name: name, arguments: [], star: true, nameSpan: nameSpan, span: nameSpan.lowerBound..<close.span.upperBound)
    }
    var arguments: [ExpressionSyntax] = []
    if !isSymbol(")") {
      arguments.append(try expression())
      while isSymbol(",") {
        _ = advance()
        arguments.append(try expression())
      }
    }
    let close = try expectSymbol(")", "to close the arguments of '\(name)'")
    return .call(
      name: name, arguments: arguments, star: false, nameSpan: nameSpan,
      span: nameSpan.lowerBound..<close.span.upperBound)
  }

  private mutating func caseWhen() throws(Failure) -> ExpressionSyntax {
    let start = advance().span.lowerBound
    var branches: [(ExpressionSyntax, ExpressionSyntax)] = []
    while accept(.when) {
      let condition = try expression()
      _ = try expect(.then, "after the WHEN condition")
      branches.append((condition, try expression()))
    }
    guard !branches.isEmpty else {
      throw Failure(message: "expected WHEN after CASE, found \(describe(current))", span: current.span)
    }
    let otherwise = accept(.else) ? try expression() : nil
    let end = try expect(.end, "to close CASE")
    return .caseWhen(branches, otherwise: otherwise, span: start..<end.span.upperBound)
  }

  private mutating func cast() throws(Failure) -> ExpressionSyntax {
    let start = advance().span.lowerBound
    _ = try expectSymbol("(", "after CAST")
    let value = try expression()
    _ = try expect(.as, "in CAST(value AS type)")
    let typeToken = current
    let name: String
    switch typeToken.kind {
    case .identifier(let word): name = word.lowercased()
    case .keyword(.timestamp): name = "timestamp"
    case .keyword(.date): name = "date"
    case .keyword(.interval): name = "interval"
    default: throw Failure(message: "expected a type name, found \(describe(typeToken))", span: typeToken.span)
    }
    _ = advance()
    var parameters: [Int] = []
    var typeEnd = typeToken.span.upperBound
    if isSymbol("(") {
      _ = advance()
      repeat {
        if isSymbol(",") { _ = advance() }
        guard case .integer(let text) = current.kind, let number = Int(text) else {
          throw Failure(
            message: "expected a number in the type's parameters, found \(describe(current))", span: current.span)
        }
        parameters.append(number)
        _ = advance()
      } while isSymbol(",")
      typeEnd = try expectSymbol(")", "to close the type's parameters").span.upperBound
    }
    let close = try expectSymbol(")", "to close CAST")
    return .cast(
      value, ExpressionSyntax.TypeName(name: name, parameters: parameters, span: typeToken.span.lowerBound..<typeEnd),
      span: start..<close.span.upperBound)
  }
}
