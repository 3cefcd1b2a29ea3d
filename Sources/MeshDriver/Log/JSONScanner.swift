/// A strict JSON (RFC 8259) scanner over bytes for the log's command line: it checks
/// that a line is one JSON text and finds the members of a top-level object without
/// building a tree, as `produce` needs at every line. Nesting deeper than `maxDepth` is
/// refused rather than recursed into, so hostile input cannot exhaust the stack.
public struct JSONScanner {
  public static let maxDepth = 256

  /// What is wrong with a text and where (a byte offset into it).
  public struct Problem: Error, Hashable, Sendable {
    public var offset: Int
    public var message: String
  }

  /// A member of an object: its name and where its value lies.
  public struct Member: Hashable, Sendable {
    public var name: String
    public var nameOffset: Int
    public var value: Range<Int>
  }

  public enum Kind: Sendable { case object, array, string, number, bool, null }

  private let bytes: [UInt8]
  private var at = 0

  private init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Nil when `bytes` is exactly one JSON value (surrounding whitespace allowed).
  public static func problem(in bytes: [UInt8]) -> Problem? {
    var scanner = JSONScanner(bytes)
    do {
      scanner.skipWhitespace()
      try scanner.value(depth: 0)
      scanner.skipWhitespace()
      if scanner.at != bytes.count { throw scanner.fail("unexpected text after the JSON value") }
      return nil
    } catch {
      return error as? Problem ?? Problem(offset: 0, message: "invalid JSON")
    }
  }

  /// The members of the top-level object in `bytes`, in order.
  public static func members(of bytes: [UInt8]) -> Result<[Member], Problem> {
    var scanner = JSONScanner(bytes)
    do {
      scanner.skipWhitespace()
      guard scanner.peek == UInt8(ascii: "{") else { throw scanner.fail("expected a JSON object") }
      scanner.at += 1
      var members: [Member] = []
      scanner.skipWhitespace()
      if scanner.peek == UInt8(ascii: "}") {
        scanner.at += 1
      } else {
        while true {
          scanner.skipWhitespace()
          let nameOffset = scanner.at
          guard scanner.peek == UInt8(ascii: "\"") else { throw scanner.fail("expected a member name in quotes") }
          let name = try scanner.string()
          scanner.skipWhitespace()
          guard scanner.peek == UInt8(ascii: ":") else { throw scanner.fail("expected ':' after the member name") }
          scanner.at += 1
          scanner.skipWhitespace()
          let start = scanner.at
          try scanner.value(depth: 1)
          members.append(Member(name: name, nameOffset: nameOffset, value: start..<scanner.at))
          scanner.skipWhitespace()
          if scanner.peek == UInt8(ascii: ",") {
            scanner.at += 1
            continue
          }
          guard scanner.peek == UInt8(ascii: "}") else { throw scanner.fail("expected ',' or '}' in the object") }
          scanner.at += 1
          break
        }
      }
      scanner.skipWhitespace()
      if scanner.at != bytes.count { throw scanner.fail("unexpected text after the JSON value") }
      return .success(members)
    } catch {
      return .failure(error as? Problem ?? Problem(offset: 0, message: "invalid JSON"))
    }
  }

  /// The kind of the (valid) value starting at `offset`.
  public static func kind(of bytes: [UInt8], at offset: Int) -> Kind {
    switch bytes[offset] {
    case UInt8(ascii: "{"): .object
    case UInt8(ascii: "["): .array
    case UInt8(ascii: "\""): .string
    case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
    case UInt8(ascii: "n"): .null
    default: .number
    }
  }

  /// The decoded text of the (valid) string value in `range`.
  public static func string(in bytes: [UInt8], _ range: Range<Int>) -> String? {
    var scanner = JSONScanner(Array(bytes[range]))
    return try? scanner.string()
  }

  private var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

  private func fail(_ message: String) -> Problem { Problem(offset: at, message: message) }

  private mutating func skipWhitespace() {
    while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { at += 1 }
  }

  private mutating func value(depth: Int) throws {
    guard depth < JSONScanner.maxDepth else { throw fail("JSON nested deeper than \(JSONScanner.maxDepth) levels") }
    guard let byte = peek else { throw fail("expected a JSON value, found the end of the line") }
    switch byte {
    case UInt8(ascii: "{"):
      at += 1
      skipWhitespace()
      if peek == UInt8(ascii: "}") {
        at += 1
        return
      }
      while true {
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
        _ = try string()
        skipWhitespace()
        guard peek == UInt8(ascii: ":") else { throw fail("expected ':' after the member name") }
        at += 1
        skipWhitespace()
        try value(depth: depth + 1)
        skipWhitespace()
        if peek == UInt8(ascii: ",") {
          at += 1
          continue
        }
        guard peek == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in the object") }
        at += 1
        return
      }
    case UInt8(ascii: "["):
      at += 1
      skipWhitespace()
      if peek == UInt8(ascii: "]") {
        at += 1
        return
      }
      while true {
        skipWhitespace()
        try value(depth: depth + 1)
        skipWhitespace()
        if peek == UInt8(ascii: ",") {
          at += 1
          continue
        }
        guard peek == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in the array") }
        at += 1
        return
      }
    case UInt8(ascii: "\""):
      _ = try string()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try number()
    default:
      throw fail("expected a JSON value, found '\(Unicode.Scalar(byte).escaped(asASCII: true))'")
    }
  }

  private mutating func literal(_ word: StaticString) throws {
    let count = word.utf8CodeUnitCount
    let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
    guard at + count <= bytes.count, bytes[at..<(at + count)].elementsEqual(expected) else {
      throw fail("expected '\(word)'")
    }
    at += count
  }

  private mutating func number() throws {
    if peek == UInt8(ascii: "-") { at += 1 }
    guard let first = peek, first >= 0x30, first <= 0x39 else { throw fail("expected a digit") }
    at += 1
    if first != 0x30 { while let byte = peek, byte >= 0x30, byte <= 0x39 { at += 1 } }
    if peek == UInt8(ascii: ".") {
      at += 1
      guard let byte = peek, byte >= 0x30, byte <= 0x39 else { throw fail("expected a digit after '.'") }
      while let byte = peek, byte >= 0x30, byte <= 0x39 { at += 1 }
    }
    if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      at += 1
      if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
      guard let byte = peek, byte >= 0x30, byte <= 0x39 else { throw fail("expected a digit in the exponent") }
      while let byte = peek, byte >= 0x30, byte <= 0x39 { at += 1 }
    }
  }

  /// Reads a string at `at` (which is a quote), checking escapes and UTF-8.
  private mutating func string() throws -> String {
    at += 1
    var scalars = String.UnicodeScalarView()
    var runStart = at
    func flush(_ scanner: JSONScanner, upTo end: Int) throws {
      guard runStart < end else { return }
      guard let text = String(validating: scanner.bytes[runStart..<end], as: UTF8.self) else {
        throw Problem(offset: runStart, message: "invalid UTF-8 in a string")
      }
      scalars.append(contentsOf: text.unicodeScalars)
    }
    while true {
      guard let byte = peek else { throw fail("the string is not closed") }
      if byte == UInt8(ascii: "\"") {
        try flush(self, upTo: at)
        at += 1
        return String(scalars)
      }
      if byte < 0x20 { throw fail("control character in a string (escape it)") }
      if byte != UInt8(ascii: "\\") {
        at += 1
        continue
      }
      try flush(self, upTo: at)
      at += 1
      guard let escape = peek else { throw fail("the string is not closed") }
      at += 1
      switch escape {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{08}")
      case UInt8(ascii: "f"): scalars.append("\u{0C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
          guard peek == UInt8(ascii: "\\"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "u") else {
            throw fail("a high surrogate must be followed by a low one")
          }
          at += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw fail("a high surrogate must be followed by a low one") }
          code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw fail("a lone surrogate is not a character") }
        scalars.append(scalar)
      default:
        throw fail("unknown escape '\\\(Unicode.Scalar(escape).escaped(asASCII: true))'")
      }
      runStart = at
    }
  }

  private mutating func hex4() throws -> UInt32 {
    guard at + 4 <= bytes.count else { throw fail("expected four hex digits") }
    var value: UInt32 = 0
    for byte in bytes[at..<(at + 4)] {
      let digit: UInt8
      switch byte {
      case 0x30...0x39: digit = byte - 0x30
      case 0x41...0x46: digit = byte - 0x41 + 10
      case 0x61...0x66: digit = byte - 0x61 + 10
      default: throw fail("expected four hex digits")
      }
      value = value << 4 | UInt32(digit)
    }
    at += 4
    return value
  }
}
