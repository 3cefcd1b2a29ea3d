/// Questions about whole JSON texts that callers without a tree ask (`meshc produce`
/// checks every line and finds members without building values).
extension JSONTokenizer {
  /// A member of an object: its decoded name, where the name starts, and where its
  /// value lies.
  public struct Member: Hashable, Sendable {
    public var name: String
    public var nameOffset: Int
    public var value: Range<Int>
    public var kind: JSONKind
  }

  /// Nil when `bytes[range]` is exactly one JSON text (surrounding whitespace allowed).
  public static func problem(in bytes: [UInt8], range: Range<Int>? = nil) -> JSONSyntaxError? {
    var tokenizer = JSONTokenizer(bytes, in: range)
    do {
      while try tokenizer.next() != .end {}
      return nil
    } catch {
      return error
    }
  }

  /// The members of the object that `bytes[range]` holds, in order; nil when the text is
  /// valid JSON but not an object. Throws when it is not one JSON text.
  public static func members(of bytes: [UInt8], in range: Range<Int>? = nil) throws(JSONSyntaxError) -> [Member]? {
    var tokenizer = JSONTokenizer(bytes, in: range)
    guard try tokenizer.next() == .objectStart else {
      while try tokenizer.next() != .end {}
      return nil
    }
    var members: [Member] = []
    while case .name(let name) = try tokenizer.next() {
      let nameOffset = tokenizer.tokenStart
      let value = try tokenizer.skipValue()
      members.append(
        Member(
          name: decode(name, in: bytes), nameOffset: nameOffset, value: value,
          kind: kind(of: bytes, at: value.lowerBound)
        ))
    }
    guard try tokenizer.next() == .end else { return nil }
    return members
  }

  /// The kind of the valid JSON value that starts at `offset`.
  public static func kind(of bytes: [UInt8], at offset: Int) -> JSONKind {
    switch bytes[offset] {
    case UInt8(ascii: "{"): .object
    case UInt8(ascii: "["): .array
    case UInt8(ascii: "\""): .string
    case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
    case UInt8(ascii: "n"): .null
    default: .number
    }
  }

  /// The text of the string literal (quotes included) in `bytes[range]`; nil when the
  /// range holds anything else.
  public static func string(in bytes: [UInt8], _ range: Range<Int>) -> String? {
    var tokenizer = JSONTokenizer(bytes, in: range)
    guard case .string(let token)? = try? tokenizer.next() else { return nil }
    return decode(token, in: bytes)
  }

  /// The text of a string token. The tokenizer has checked the bytes, so this cannot fail.
  public static func decode(_ token: JSONStringToken, in bytes: [UInt8]) -> String {
    guard token.hasEscapes else { return String(decoding: bytes[token.contents], as: UTF8.self) }
    var scalars = String.UnicodeScalarView()
    var index = token.contents.lowerBound
    var runStart = index
    let end = token.contents.upperBound
    while index < end {
      guard bytes[index] == UInt8(ascii: "\\") else {
        index += 1
        continue
      }
      scalars.append(contentsOf: String(decoding: bytes[runStart..<index], as: UTF8.self).unicodeScalars)
      let escape = bytes[index + 1]
      index += 2
      switch escape {
      case UInt8(ascii: "b"): scalars.append("\u{08}")
      case UInt8(ascii: "f"): scalars.append("\u{0C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        var code = hexValue(bytes, at: index)
        index += 4
        if (0xD800..<0xDC00).contains(code) {
          code = 0x10000 + ((code - 0xD800) << 10) + (hexValue(bytes, at: index + 2) &- 0xDC00)
          index += 6
        }
        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
      default: scalars.append(Unicode.Scalar(escape))
      }
      runStart = index
    }
    scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
    return String(scalars)
  }

  private static func hexValue(_ bytes: [UInt8], at index: Int) -> UInt32 {
    var value: UInt32 = 0
    for byte in bytes[index..<min(index + 4, bytes.count)] { value = value << 4 | (hexDigit(byte) ?? 0) }
    return value
  }
}
