/// YAML 1.2 core-schema resolution of scalars (the schema `in.json` of the yaml-test-suite
/// follows): `yes`/`no`/`on`/`off` stay strings, unlike YAML 1.1.
enum CoreSchema {
  /// The value of an untagged plain scalar.
  static func resolvePlain(_ text: String) -> YAMLScalar.Value {
    let bytes = Array(text.utf8)
    if let special = resolveWord(text) { return special }
    if let integer = parseInteger(bytes) { return integer }
    if isFloatSyntax(bytes), let value = Double(text) { return .float(value) }
    return .string(text)
  }

  /// The value of a scalar under an explicit standard tag, or nil when the text does
  /// not fit the tag (`!!int abc`).
  static func resolve(_ text: String, tag: String) -> YAMLScalar.Value? {
    let bytes = Array(text.utf8)
    switch tag {
    case Tag.string: return .string(text)
    case Tag.null:
      return text.isEmpty || ["~", "null", "Null", "NULL"].contains(text) ? .null : nil
    case Tag.bool:
      if case .bool(let value)? = resolveWord(text) { return .bool(value) }
      return nil
    case Tag.int: return parseInteger(bytes)
    case Tag.float:
      if case .float(let value)? = resolveWord(text) { return .float(value) }
      if let integer = parseInteger(bytes) {
        switch integer {
        case .int(let value): return .float(Double(value))
        default: return Double(text).map { .float($0) }
        }
      }
      return isFloatSyntax(bytes) ? Double(text).map { .float($0) } : nil
    default: return .string(text)
    }
  }

  private static func resolveWord(_ text: String) -> YAMLScalar.Value? {
    switch text {
    case "", "~", "null", "Null", "NULL": .null
    case "true", "True", "TRUE": .bool(true)
    case "false", "False", "FALSE": .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": .float(.infinity)
    case "-.inf", "-.Inf", "-.INF": .float(-.infinity)
    case ".nan", ".NaN", ".NAN": .float(.nan)
    default: nil
    }
  }

  /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
  private static func parseInteger(_ bytes: [UInt8]) -> YAMLScalar.Value? {
    guard !bytes.isEmpty else { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "x") {
      let digits = bytes[2...]
      guard digits.allSatisfy(isHexDigit) else { return nil }
      return UInt64(String(decoding: digits, as: UTF8.self), radix: 16).flatMap { Int64(exactly: $0) }.map { .int($0) }
        ?? .bigInt(text)
    }
    if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "o") {
      let digits = bytes[2...]
      guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) else { return nil }
      return UInt64(String(decoding: digits, as: UTF8.self), radix: 8).flatMap { Int64(exactly: $0) }.map { .int($0) }
        ?? .bigInt(text)
    }
    var digits = bytes[...]
    if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.allSatisfy(isDecimalDigit) else { return nil }
    return Int64(text).map { .int($0) } ?? .bigInt(text)
  }

  /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
  private static func isFloatSyntax(_ bytes: [UInt8]) -> Bool {
    var index = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
    let integerStart = index
    while index < bytes.count, isDecimalDigit(bytes[index]) { index += 1 }
    let integerDigits = index - integerStart
    var fractionDigits = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      let fractionStart = index
      while index < bytes.count, isDecimalDigit(bytes[index]) { index += 1 }
      fractionDigits = index - fractionStart
    }
    guard integerDigits > 0 || fractionDigits > 0 else { return false }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
      let exponentStart = index
      while index < bytes.count, isDecimalDigit(bytes[index]) { index += 1 }
      guard index > exponentStart else { return false }
    }
    return index == bytes.count
  }

  private static func isDecimalDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    isDecimalDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
  }
}

/// The standard tags after handle resolution.
enum Tag {
  static let string = "tag:yaml.org,2002:str"
  static let null = "tag:yaml.org,2002:null"
  static let bool = "tag:yaml.org,2002:bool"
  static let int = "tag:yaml.org,2002:int"
  static let float = "tag:yaml.org,2002:float"
  static let map = "tag:yaml.org,2002:map"
  static let seq = "tag:yaml.org,2002:seq"
  static let merge = "tag:yaml.org,2002:merge"
  /// The non-specific tag `!`: the scalar is a string whatever it looks like.
  static let nonSpecific = "!"
}
