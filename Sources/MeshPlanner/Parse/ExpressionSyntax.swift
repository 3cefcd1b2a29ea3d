/// An expression as parsed, before names and types are resolved. Every node keeps its
/// span in the expression's text, so the type checker can point at the exact operand.
indirect enum ExpressionSyntax {
  case field(path: [String], span: Range<Int>)
  case integer(String, span: Range<Int>)
  case decimal(String, span: Range<Int>)
  case string(String, span: Range<Int>)
  case boolean(Bool, span: Range<Int>)
  case null(span: Range<Int>)
  /// `TIMESTAMP '…'`, `DATE '…'`, `INTERVAL '…'` or a bare duration `10m`.
  case typedLiteral(TypedLiteralKind, String, span: Range<Int>)
  case unary(String, ExpressionSyntax, span: Range<Int>)
  case binary(String, ExpressionSyntax, ExpressionSyntax, operatorSpan: Range<Int>, span: Range<Int>)
  case isNull(ExpressionSyntax, negated: Bool, span: Range<Int>)
  case inList(ExpressionSyntax, [ExpressionSyntax], negated: Bool, span: Range<Int>)
  case between(ExpressionSyntax, ExpressionSyntax, ExpressionSyntax, negated: Bool, span: Range<Int>)
  case like(ExpressionSyntax, ExpressionSyntax, negated: Bool, span: Range<Int>)
  case caseWhen([(ExpressionSyntax, ExpressionSyntax)], otherwise: ExpressionSyntax?, span: Range<Int>)
  case cast(ExpressionSyntax, TypeName, span: Range<Int>)
  /// `f(x, y)`; `count(*)` has `star`; `nameSpan` is the function's name.
  case call(name: String, arguments: [ExpressionSyntax], star: Bool, nameSpan: Range<Int>, span: Range<Int>)

  enum TypedLiteralKind { case timestamp, date, interval }

  struct TypeName {
    var name: String
    var parameters: [Int]
    var span: Range<Int>
  }

  var span: Range<Int> {
    switch self {
    case .field(_, let span), .integer(_, let span), .decimal(_, let span), .string(_, let span),
      .boolean(_, let span), .null(let span), .typedLiteral(_, _, let span), .unary(_, _, let span),
      .binary(_, _, _, _, let span), .isNull(_, _, let span), .inList(_, _, _, let span),
      .between(_, _, _, _, let span), .like(_, _, _, let span), .caseWhen(_, _, let span), .cast(_, _, let span),
      .call(_, _, _, _, let span):
      span
    }
  }
}
