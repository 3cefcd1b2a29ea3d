/// The one JSON reader of meshc: a strict RFC 8259 pull tokenizer over UTF-8 bytes.
///
/// Schema files, `meshc produce` lines and JSON Lines inputs all go through it, so a text
/// is JSON or not the same way everywhere. Strict means: no leading zeros (`01`), no
/// trailing commas, no comments, no lone surrogates (`"\ud800"`), no invalid UTF-8 or raw
/// control characters in strings, exactly one value per text. Structure is checked as
/// tokens are taken, so a caller that stops early has seen only valid JSON.
///
/// Nesting deeper than `maxDepth` is an error rather than recursion, so hostile input
/// cannot exhaust a caller's stack. Errors carry the byte offset where the text goes
/// wrong; `SourceFile.range(fromByte:toByte:)` turns it into a line and column.
public struct JSONTokenizer: Sendable {
  public static let maxDepth = 256

  public let bytes: [UInt8]
  private let end: Int
  /// The next byte to read.
  public private(set) var offset: Int
  /// Where the last token returned by `next()` starts.
  public private(set) var tokenStart: Int
  /// The open containers, innermost last: true for an object.
  private var containers: [Bool] = []
  private var expected: Expected = .value
  private let isSequence: Bool

  private enum Expected {
    case value
    case valueOrArrayEnd
    case name
    case nameOrObjectEnd
    case commaOrEnd
    case endOfText
  }

  /// Tokenizes `bytes[range]` (all of `bytes` by default) as one JSON text, or with
  /// `sequence` as any number of texts separated by whitespace (JSON Lines, or the
  /// yaml-test-suite's expected values). Offsets in tokens and errors index `bytes`.
  public init(_ bytes: [UInt8], in range: Range<Int>? = nil, sequence: Bool = false) {
    self.bytes = bytes
    self.isSequence = sequence
    let range = range ?? 0..<bytes.count
    self.end = range.upperBound
    // A byte order mark may open a file (RFC 8259 §8.1 lets parsers ignore it).
    let hasByteOrderMark =
      range.count >= 3 && bytes[range.lowerBound] == 0xEF && bytes[range.lowerBound + 1] == 0xBB
      && bytes[range.lowerBound + 2] == 0xBF
    self.offset = range.lowerBound + (hasByteOrderMark ? 3 : 0)
    self.tokenStart = offset
  }

  /// How many arrays and objects are open.
  public var depth: Int { containers.count }

  /// The next token. After `.end`, every call returns `.end` again.
  public mutating func next() throws(JSONSyntaxError) -> JSONToken {
    skipWhitespace()
    tokenStart = offset
    switch expected {
    case .value:
      if isSequence, offset == end, containers.isEmpty { return .end }
      return try value()
    case .valueOrArrayEnd:
      if offset < end, bytes[offset] == UInt8(ascii: "]") { return close(object: false) }
      return try value()
    case .name:
      return try name()
    case .nameOrObjectEnd:
      if offset < end, bytes[offset] == UInt8(ascii: "}") { return close(object: true) }
      return try name()
    case .commaOrEnd:
      let inObject = containers.last ?? false
      guard offset < end else {
        throw fail(
          inObject ? "the object is not closed: expected ',' or '}'" : "the array is not closed: expected ',' or ']'")
      }
      switch bytes[offset] {
      case UInt8(ascii: ","):
        offset += 1
        skipWhitespace()
        tokenStart = offset
        return inObject ? try name() : try value()
      case UInt8(ascii: "}") where inObject: return close(object: true)
      case UInt8(ascii: "]") where !inObject: return close(object: false)
      default:
        throw fail(
          inObject
            ? "expected ',' or '}' after a member, found \(describe(bytes[offset]))"
            : "expected ',' or ']' after an element, found \(describe(bytes[offset]))")
      }
    case .endOfText:
      if offset == end { return .end }
      guard isSequence else { throw fail("unexpected \(describe(bytes[offset])) after the JSON value") }
      return try value()
    }
  }

  /// Takes one whole value (a scalar, or a container with everything in it) and returns
  /// where it lies; the tokenizer must be where a value is expected.
  public mutating func skipValue() throws(JSONSyntaxError) -> Range<Int> {
    let token = try next()
    let start = tokenStart
    switch token {
    case .objectStart, .arrayStart:
      let level = depth
      while depth >= level { _ = try next() }
    case .end, .objectEnd, .arrayEnd, .name:
      throw JSONSyntaxError(offset: start, message: "expected a JSON value")
    case .string, .number, .bool, .null:
      break
    }
    return start..<offset
  }

  // MARK: Tokens

  private mutating func value() throws(JSONSyntaxError) -> JSONToken {
    guard offset < end else { throw fail("expected a JSON value, found the end of the input") }
    switch bytes[offset] {
    case UInt8(ascii: "{"):
      try open(object: true)
      return .objectStart
    case UInt8(ascii: "["):
      try open(object: false)
      return .arrayStart
    case UInt8(ascii: "\""):
      let string = try self.string()
      finishValue()
      return .string(string)
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let range = try number()
      finishValue()
      return .number(range)
    case let byte:
      throw fail("expected a JSON value, found \(describe(byte))")
    }
  }

  private mutating func name() throws(JSONSyntaxError) -> JSONToken {
    guard offset < end else { throw fail("the object is not closed: expected a member name in quotes") }
    guard bytes[offset] == UInt8(ascii: "\"") else {
      throw fail("expected a member name in quotes, found \(describe(bytes[offset]))")
    }
    let name = try string()
    skipWhitespace()
    guard offset < end, bytes[offset] == UInt8(ascii: ":") else {
      throw fail("expected ':' after the member name")
    }
    offset += 1
    expected = .value
    return .name(name)
  }

  private mutating func open(object: Bool) throws(JSONSyntaxError) {
    guard containers.count < JSONTokenizer.maxDepth else {
      throw JSONSyntaxError(
        offset: offset, message: "JSON nested more than \(JSONTokenizer.maxDepth) levels deep", kind: .tooDeep)
    }
    offset += 1
    containers.append(object)
    expected = object ? .nameOrObjectEnd : .valueOrArrayEnd
  }

  private mutating func close(object: Bool) -> JSONToken {
    offset += 1
    containers.removeLast()
    finishValue()
    return object ? .objectEnd : .arrayEnd
  }

  private mutating func finishValue() {
    expected = containers.isEmpty ? .endOfText : .commaOrEnd
  }

  private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
    let count = word.utf8CodeUnitCount
    let expectedBytes = UnsafeBufferPointer(start: word.utf8Start, count: count)
    guard end - offset >= count, bytes[offset..<(offset + count)].elementsEqual(expectedBytes) else {
      throw fail("invalid literal: expected '\(word)'")
    }
    offset += count
    finishValue()
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
  private mutating func number() throws(JSONSyntaxError) -> Range<Int> {
    let start = offset
    if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
    guard isDigit(at: offset) else { throw fail("expected a digit after '-'") }
    if bytes[offset] == UInt8(ascii: "0") {
      offset += 1
      if isDigit(at: offset) {
        throw JSONSyntaxError(offset: start, message: "a number must not have a leading zero")
      }
    } else {
      while isDigit(at: offset) { offset += 1 }
    }
    if offset < end, bytes[offset] == UInt8(ascii: ".") {
      offset += 1
      guard isDigit(at: offset) else { throw fail("expected a digit after the decimal point") }
      while isDigit(at: offset) { offset += 1 }
    }
    if offset < end, bytes[offset] | 0x20 == UInt8(ascii: "e") {
      offset += 1
      if offset < end, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
      guard isDigit(at: offset) else { throw fail("expected a digit in the exponent") }
      while isDigit(at: offset) { offset += 1 }
    }
    return start..<offset
  }

  /// Reads a string literal at `offset` (its opening quote), checking escapes,
  /// surrogate pairs and UTF-8.
  private mutating func string() throws(JSONSyntaxError) -> JSONStringToken {
    let quote = offset
    offset += 1
    let start = offset
    var hasEscapes = false
    while offset < end {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "\"") {
        let token = JSONStringToken(contents: start..<offset, hasEscapes: hasEscapes)
        offset += 1
        return token
      }
      if byte == UInt8(ascii: "\\") {
        hasEscapes = true
        try escape()
      } else if byte < 0x20 {
        throw fail("control character U+\(hex(UInt32(byte), digits: 4)) in a string: write it as an escape")
      } else if byte < 0x80 {
        offset += 1
      } else {
        try utf8Sequence()
      }
    }
    throw JSONSyntaxError(offset: quote, message: "the string is not closed")
  }

  private mutating func escape() throws(JSONSyntaxError) {
    let backslash = offset
    offset += 1
    guard offset < end else { throw JSONSyntaxError(offset: backslash, message: "the string is not closed") }
    switch bytes[offset] {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
      UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
      offset += 1
    case UInt8(ascii: "u"):
      offset += 1
      let unit = try hex4(escapeAt: backslash)
      if (0xDC00..<0xE000).contains(unit) {
        throw JSONSyntaxError(
          offset: backslash, message: "a lone low surrogate \\u\(hex(unit, digits: 4)) is not a character")
      }
      guard (0xD800..<0xDC00).contains(unit) else { return }
      guard end - offset >= 2, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
        throw JSONSyntaxError(
          offset: backslash, message: "a lone high surrogate \\u\(hex(unit, digits: 4)) is not a character")
      }
      let lowEscape = offset
      offset += 2
      let low = try hex4(escapeAt: lowEscape)
      guard (0xDC00..<0xE000).contains(low) else {
        throw JSONSyntaxError(
          offset: backslash, message: "a high surrogate \\u\(hex(unit, digits: 4)) must be followed by a low one")
      }
    case let other:
      throw JSONSyntaxError(
        offset: backslash, message: "unknown escape '\\\(Unicode.Scalar(other).escaped(asASCII: true))'")
    }
  }

  private mutating func hex4(escapeAt backslash: Int) throws(JSONSyntaxError) -> UInt32 {
    guard end - offset >= 4 else {
      throw JSONSyntaxError(offset: backslash, message: "expected four hex digits after '\\u'")
    }
    var value: UInt32 = 0
    for byte in bytes[offset..<(offset + 4)] {
      guard let digit = JSONTokenizer.hexDigit(byte) else {
        throw JSONSyntaxError(offset: backslash, message: "expected four hex digits after '\\u'")
      }
      value = value << 4 | digit
    }
    offset += 4
    return value
  }

  /// One multi-byte UTF-8 sequence (RFC 3629 §4): no overlong forms, no surrogates,
  /// nothing past U+10FFFF.
  private mutating func utf8Sequence() throws(JSONSyntaxError) {
    let lead = bytes[offset]
    let count: Int
    var secondRange: ClosedRange<UInt8> = 0x80...0xBF
    switch lead {
    case 0xC2...0xDF: count = 2
    case 0xE0:
      count = 3
      secondRange = 0xA0...0xBF
    case 0xE1...0xEC, 0xEE...0xEF: count = 3
    case 0xED:
      count = 3
      secondRange = 0x80...0x9F
    case 0xF0:
      count = 4
      secondRange = 0x90...0xBF
    case 0xF1...0xF3: count = 4
    case 0xF4:
      count = 4
      secondRange = 0x80...0x8F
    default: throw fail("invalid UTF-8 in a string (byte 0x\(hex(UInt32(lead), digits: 2)))")
    }
    guard end - offset >= count, secondRange.contains(bytes[offset + 1]) else {
      throw fail("invalid UTF-8 in a string (byte 0x\(hex(UInt32(lead), digits: 2)))")
    }
    for index in (offset + 2)..<(offset + count) where bytes[index] & 0xC0 != 0x80 {
      throw fail("invalid UTF-8 in a string (byte 0x\(hex(UInt32(lead), digits: 2)))")
    }
    offset += count
  }

  // MARK: Bytes

  private mutating func skipWhitespace() {
    while offset < end {
      switch bytes[offset] {
      case 0x20, 0x0A, 0x0D, 0x09: offset += 1
      default: return
      }
    }
  }

  private func isDigit(at index: Int) -> Bool {
    index < end && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
  }

  private func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: offset, message: message) }

  private func describe(_ byte: UInt8) -> String {
    (0x21...0x7E).contains(byte) ? "'\(Unicode.Scalar(byte))'" : "byte 0x\(hex(UInt32(byte), digits: 2))"
  }

  private func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }

  static func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: UInt32(byte - 0x30)
    case 0x41...0x46: UInt32(byte - 0x41 + 10)
    case 0x61...0x66: UInt32(byte - 0x61 + 10)
    default: nil
    }
  }
}
