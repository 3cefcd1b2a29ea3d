public import MeshDiagnostics

/// Reads JSON from bytes into located values. Every problem is a diagnostic at its byte
/// (converted to line and column by the `SourceFile`); nesting is bounded so hostile
/// input cannot exhaust the stack.
public struct JSONReader {
  public static let maxDepth = 256

  let file: SourceFile
  let bytes: [UInt8]
  var index = 0
  var diagnostics = Diagnostics()
  /// Locations are taken as the scan moves forward, so each costs O(bytes since the last).
  var cursor: LocationCursor

  public static func read(_ file: SourceFile) -> (value: SourceValue?, diagnostics: Diagnostics) {
    var reader = JSONReader(file: file, bytes: file.bytes, cursor: LocationCursor(file))
    reader.skipSpace()
    guard let value = reader.value(depth: 0) else { return (nil, reader.diagnostics) }
    reader.skipSpace()
    if reader.index < reader.bytes.count {
      reader.fail("unexpected text after the JSON value")
      return (nil, reader.diagnostics)
    }
    return (value, reader.diagnostics)
  }

  /// Several JSON texts back to back (JSON Lines, or documents separated by spaces).
  public static func readAll(_ file: SourceFile) -> (values: [SourceValue], diagnostics: Diagnostics) {
    var reader = JSONReader(file: file, bytes: file.bytes, cursor: LocationCursor(file))
    var values: [SourceValue] = []
    reader.skipSpace()
    while reader.index < reader.bytes.count {
      guard let value = reader.value(depth: 0) else { break }
      values.append(value)
      reader.skipSpace()
    }
    return (values, reader.diagnostics)
  }

  private mutating func fail(_ message: String, at offset: Int? = nil, code: DiagnosticCode = .schemaInvalidJSON) {
    let at = offset ?? index
    diagnostics.error(code, message, at: file.range(fromByte: at, toByte: min(at + 1, bytes.count)))
  }

  private mutating func skipSpace() {
    while index < bytes.count,
      bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
    {
      index += 1
    }
  }

  private mutating func here() -> SourceLocation { cursor.location(at: index) }

  private mutating func range(from start: SourceLocation) -> SourceRange {
    SourceRange(file: file.path, start: start, end: here())
  }

  private mutating func value(depth: Int) -> SourceValue? {
    guard depth < JSONReader.maxDepth else {
      fail("JSON nested more than \(JSONReader.maxDepth) levels deep", code: .schemaTooDeep)
      return nil
    }
    guard index < bytes.count else {
      fail("unexpected end of file, expected a JSON value")
      return nil
    }
    let start = here()
    switch bytes[index] {
    case UInt8(ascii: "{"): return object(depth: depth)
    case UInt8(ascii: "["): return array(depth: depth)
    case UInt8(ascii: "\""): return string().map { SourceValue(.string($0), at: range(from: start)) }
    case UInt8(ascii: "t"): return literal("true", .bool(true))
    case UInt8(ascii: "f"): return literal("false", .bool(false))
    case UInt8(ascii: "n"): return literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
    default:
      fail("unexpected character '\(String(decoding: [bytes[index]], as: UTF8.self))', expected a JSON value")
      return nil
    }
  }

  private mutating func literal(_ word: StaticString, _ content: SourceValue.Content) -> SourceValue? {
    let start = here()
    let expected = Array(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
      fail("invalid literal, expected '\(word)'")
      return nil
    }
    index += expected.count
    return SourceValue(content, at: range(from: start))
  }

  private mutating func number() -> SourceValue? {
    let startLocation = here()
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    let digitsStart = index
    while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
    guard index > digitsStart else {
      fail("invalid number", at: start)
      return nil
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      let fraction = index
      while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
      guard index > fraction else {
        fail("invalid number: digits expected after '.'", at: start)
        return nil
      }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      let exponent = index
      while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
      guard index > exponent else {
        fail("invalid number: digits expected in the exponent", at: start)
        return nil
      }
    }
    return SourceValue(.number(String(decoding: bytes[start..<index], as: UTF8.self)), at: range(from: startLocation))
  }

  private mutating func string() -> String? {
    let start = index
    index += 1
    var out = [UInt8]()
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return String(decoding: out, as: UTF8.self)
      }
      if byte < 0x20 {
        fail("control character in a string; escape it")
        return nil
      }
      guard byte == UInt8(ascii: "\\") else {
        out.append(byte)
        index += 1
        continue
      }
      index += 1
      guard index < bytes.count else { break }
      let escape = bytes[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        guard var scalar = hex4() else {
          fail("invalid \\u escape", at: index - 2)
          return nil
        }
        if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          index += 2
          guard let low = hex4(), (0xDC00..<0xE000).contains(low) else {
            fail("invalid surrogate pair", at: index - 6)
            return nil
          }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
      default:
        fail("invalid escape '\\\(String(decoding: [escape], as: UTF8.self))'", at: index - 2)
        return nil
      }
    }
    fail("unterminated string", at: start)
    return nil
  }

  private mutating func hex4() -> UInt32? {
    guard index + 4 <= bytes.count,
      let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
    else { return nil }
    index += 4
    return value
  }

  private mutating func array(depth: Int) -> SourceValue? {
    let startLocation = here()
    let start = index
    index += 1
    var items: [SourceValue] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return SourceValue(.array(items), at: range(from: startLocation))
    }
    while true {
      skipSpace()
      guard let item = value(depth: depth + 1) else { return nil }
      items.append(item)
      skipSpace()
      guard index < bytes.count else {
        fail("unterminated array", at: start)
        return nil
      }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return SourceValue(.array(items), at: range(from: startLocation))
      }
      fail("expected ',' or ']' in array")
      return nil
    }
  }

  private mutating func object(depth: Int) -> SourceValue? {
    let startLocation = here()
    let start = index
    index += 1
    var members: [SourceValue.Member] = []
    var seen: [String: SourceRange] = [:]
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return SourceValue(.object(members), at: range(from: startLocation))
    }
    while true {
      skipSpace()
      let keyStart = here()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        fail("expected a string key in object")
        return nil
      }
      guard let key = string() else { return nil }
      let keyRange = range(from: keyStart)
      if let first = seen[key] {
        diagnostics.error(
          .schemaDuplicateKey, "duplicate key '\(key)' in JSON object", at: keyRange,
          notes: [Diagnostic.Note("first given here", at: first)])
      }
      seen[key] = keyRange
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        fail("expected ':' after object key")
        return nil
      }
      index += 1
      skipSpace()
      guard let item = value(depth: depth + 1) else { return nil }
      members.append(SourceValue.Member(key: key, keyRange: keyRange, value: item))
      skipSpace()
      guard index < bytes.count else {
        fail("unterminated object", at: start)
        return nil
      }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return SourceValue(.object(members), at: range(from: startLocation))
      }
      fail("expected ',' or '}' in object")
      return nil
    }
  }
}
