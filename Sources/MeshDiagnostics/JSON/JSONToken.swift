/// One token of a JSON text, as `JSONTokenizer` returns them. Strings, names and numbers
/// are byte ranges into the tokenized bytes, so nothing is copied until a caller asks.
public enum JSONToken: Hashable, Sendable {
  case objectStart
  case objectEnd
  case arrayStart
  case arrayEnd
  /// A member name; the tokenizer has already read the `:` after it.
  case name(JSONStringToken)
  case string(JSONStringToken)
  /// The number's bytes as written (`-12.5e3`), already checked against RFC 8259's grammar.
  case number(Range<Int>)
  case bool(Bool)
  case null
  /// The end of the input (after the last JSON text).
  case end
}

/// A string literal's contents: the bytes between its quotes, already checked (escapes,
/// surrogate pairs, UTF-8). `hasEscapes` is false for the common case, whose bytes are
/// the string's UTF-8 text as they stand.
public struct JSONStringToken: Hashable, Sendable {
  public var contents: Range<Int>
  public var hasEscapes: Bool

  public init(contents: Range<Int>, hasEscapes: Bool) {
    self.contents = contents
    self.hasEscapes = hasEscapes
  }
}

/// What kind of value a JSON text holds at some place.
public enum JSONKind: Hashable, Sendable {
  case object, array, string, number, bool, null
}

/// Why bytes are not JSON, and where: a byte offset into the tokenized bytes, which a
/// `SourceFile` turns into a line and column.
public struct JSONSyntaxError: Error, Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    case syntax
    /// Arrays and objects nested more than `JSONTokenizer.maxDepth` levels.
    case tooDeep
  }

  public var offset: Int
  public var message: String
  public var kind: Kind

  public init(offset: Int, message: String, kind: Kind = .syntax) {
    self.offset = offset
    self.message = message
    self.kind = kind
  }
}
