/// Splits an expression into tokens. Keywords are case-insensitive, as in SQL; a
/// character that starts no token is an error at its place.
struct ExpressionLexer {
  struct Failure: Error {
    var message: String
    var span: Range<Int>
  }

  private let scalars: [Unicode.Scalar]
  private var position = 0

  init(_ text: String) { scalars = Array(text.unicodeScalars) }

  static let symbols = ["<=", ">=", "<>", "!=", "||", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", "."]

  mutating func tokens() throws(Failure) -> [ExpressionToken] {
    var tokens: [ExpressionToken] = []
    while true {
      let token = try next()
      tokens.append(token)
      if token.kind == .end { return tokens }
    }
  }

  private mutating func next() throws(Failure) -> ExpressionToken {
    while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    let start = position
    guard position < scalars.count else { return ExpressionToken(kind: .end, span: start..<start) }
    let scalar = scalars[position]
    if isIdentifierStart(scalar) {
      while position < scalars.count, isIdentifierPart(scalars[position]) { position += 1 }
      let word = String(String.UnicodeScalarView(scalars[start..<position]))
      if let keyword = Keyword(rawValue: word.lowercased()) {
        return ExpressionToken(kind: .keyword(keyword), span: start..<position)
      }
      return ExpressionToken(kind: .identifier(word), span: start..<position)
    }
    if isDigit(scalar) { return try number(from: start) }
    if scalar == "'" { return ExpressionToken(kind: .string(try quoted("'", from: start)), span: start..<position) }
    if scalar == "\"" || scalar == "`" {
      let name = try quoted(scalar, from: start)
      guard !name.isEmpty else { throw Failure(message: "empty quoted field name", span: start..<position) }
      return ExpressionToken(kind: .quotedIdentifier(name), span: start..<position)
    }
    for symbol in Self.symbols where matches(symbol) {
      position += symbol.unicodeScalars.count
      return ExpressionToken(kind: .symbol(symbol), span: start..<position)
    }
    throw Failure(message: "unexpected character '\(scalar)'", span: start..<(start + 1))
  }

  private func matches(_ symbol: String) -> Bool {
    var index = position
    for part in symbol.unicodeScalars {
      guard index < scalars.count, scalars[index] == part else { return false }
      index += 1
    }
    return true
  }

  /// `42`, `3.5`, `1e9`, or a duration `10m` / `1h30m`.
  private mutating func number(from start: Int) throws(Failure) -> ExpressionToken {
    digits()
    var isDecimal = false
    if position + 1 < scalars.count, scalars[position] == ".", isDigit(scalars[position + 1]) {
      isDecimal = true
      position += 1
      digits()
    }
    if position < scalars.count, scalars[position] == "e" || scalars[position] == "E" {
      let mark = position
      position += 1
      if position < scalars.count, scalars[position] == "+" || scalars[position] == "-" { position += 1 }
      if position < scalars.count, isDigit(scalars[position]) {
        digits()
        isDecimal = true
      } else {
        position = mark
      }
    }
    if !isDecimal, position < scalars.count, isLetter(scalars[position]) {
      // A unit follows: the whole run of digits and letters is one duration.
      while position < scalars.count, isIdentifierPart(scalars[position]) { position += 1 }
      let text = String(String.UnicodeScalarView(scalars[start..<position]))
      return ExpressionToken(kind: .duration(text), span: start..<position)
    }
    let text = String(String.UnicodeScalarView(scalars[start..<position]))
    return ExpressionToken(kind: isDecimal ? .decimal(text) : .integer(text), span: start..<position)
  }

  private mutating func digits() {
    while position < scalars.count, isDigit(scalars[position]) { position += 1 }
  }

  /// A quoted run in which the quote doubled stands for itself (`'it''s'`).
  private mutating func quoted(_ quote: Unicode.Scalar, from start: Int) throws(Failure) -> String {
    position += 1
    var text = String.UnicodeScalarView()
    while position < scalars.count {
      if scalars[position] == quote {
        if position + 1 < scalars.count, scalars[position + 1] == quote {
          text.append(quote)
          position += 2
          continue
        }
        position += 1
        return String(text)
      }
      text.append(scalars[position])
      position += 1
    }
    throw Failure(
      message: "unterminated \(quote == "'" ? "string" : "quoted name"): missing \(quote)", span: start..<position)
  }

  private func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
  private func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
  }
  private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool { isLetter(scalar) || scalar == "_" }
  private func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool { isIdentifierStart(scalar) || isDigit(scalar) }
}
