/// A token of the expression language, with its place in the expression's text (offsets
/// in Unicode scalars, which `ExpressionText` maps to file locations).
struct ExpressionToken: Equatable {
  enum Kind: Equatable {
    case identifier(String)
    /// `"name"` or `` `name` ``: a field whose name is a keyword or holds other characters.
    case quotedIdentifier(String)
    case keyword(Keyword)
    case integer(String)
    case decimal(String)
    case string(String)
    /// `10m`, `1h30m`: a number with a unit, as durations are written in manifests.
    case duration(String)
    case symbol(String)
    case end
  }

  var kind: Kind
  var span: Range<Int>
}

enum Keyword: String, CaseIterable {
  case and, or, not, `in`, between, like, `is`, null, `true`, `false`
  case `case`, when, then, `else`, end, cast, `as`, timestamp, date, interval, distinct
}
