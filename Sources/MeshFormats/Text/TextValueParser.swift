import MeshBytes
import MeshData

#if canImport(Glibc)
  import Glibc
#endif

/// A leaf value read from text, in the form its column holds it.
enum LeafValue: Equatable {
  case boolean(Bool)
  case int32(Int32)
  case int64(Int64)
  case float32(Float)
  case float64(Double)
  case bytes([UInt8])
}

/// Reads the text of one value as a column type: what CSV fields and JSON strings and
/// numbers hold, in the JSON mapping `meshc cat` prints (docs/formats.md) and the forms
/// people write by hand. Nothing is rounded or wrapped: a value that does not fit its
/// type exactly is an error that says what was expected.
enum TextValueParser {
  static func parse(_ text: ArraySlice<UInt8>, as type: DataType) -> Result<LeafValue, TextValueError> {
    switch type {
    case .boolean:
      switch String(decoding: text, as: UTF8.self).lowercased() {
      case "true", "1": return .success(.boolean(true))
      case "false", "0": return .success(.boolean(false))
      default: return .failure(TextValueError("expected true or false"))
      }
    case .int32:
      guard let value = integer(text), let narrow = Int32(exactly: value) else {
        return .failure(TextValueError("expected an int (32 bits)"))
      }
      return .success(.int32(narrow))
    case .int64:
      guard let value = integer(text) else { return .failure(TextValueError("expected a long (64-bit integer)")) }
      return .success(.int64(value))
    case .float32, .float64:
      guard let value = real(text), type == .float64 || !value.isFinite || Float(value).isFinite else {
        return .failure(TextValueError("expected a \(type == .float64 ? "double" : "float")"))
      }
      return .success(type == .float64 ? .float64(value) : .float32(Float(value)))
    case .decimal(let precision, let scale):
      return decimal(text, precision: precision, scale: scale).map { .int64($0) }
    case .string:
      guard UTF8Validation.isValid(text) else {
        return .failure(TextValueError("not UTF-8 text"))
      }
      return .success(.bytes(Array(text)))
    case .bytes:
      guard let bytes = Base64.decode(text) else { return .failure(TextValueError("expected base64 bytes")) }
      return .success(.bytes(bytes))
    case .fixed(let size):
      guard let bytes = Base64.decode(text), bytes.count == size else {
        return .failure(TextValueError("expected \(size) bytes in base64"))
      }
      return .success(.bytes(bytes))
    case .uuid:
      guard let bytes = UUIDText.bytes(text) else {
        return .failure(TextValueError("expected a uuid (8-4-4-4-12 hexadecimal digits)"))
      }
      return .success(.bytes(UUIDText.text(bytes)))
    case .enumeration(_, let symbols):
      let symbol = String(decoding: text, as: UTF8.self)
      guard let index = symbols.firstIndex(of: symbol) else {
        return .failure(TextValueError("expected one of \(symbols.prefix(8).joined(separator: ", "))"))
      }
      return .success(.int32(Int32(index)))
    case .date:
      guard let days = TimeText.date(text) else { return .failure(TextValueError("expected a date (YYYY-MM-DD)")) }
      guard let narrow = Int32(exactly: days) else {
        return .failure(TextValueError("the date is outside what an int of days since 1970 can count"))
      }
      return .success(.int32(narrow))
    case .time(let unit):
      guard let value = TimeText.timeOfDay(text, unit) else {
        return .failure(TextValueError("expected a time of day (HH:MM:SS.fff)"))
      }
      return .success(.int64(value))
    case .timestamp(let unit, let utc):
      if let value = integer(text) { return .success(.int64(value)) }
      return TimeText.timestamp(text, unit, utc: utc).map { .int64($0) }
    case .null, .duration, .record, .array, .map, .opaque:
      return .failure(TextValueError("a \(type) cannot be read from text"))
    }
  }

  /// Optional sign and digits, nothing else.
  static func integer(_ text: ArraySlice<UInt8>) -> Int64? {
    var digits = text[...]
    let negative = digits.first == UInt8(ascii: "-")
    if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.count <= 19 || digits.drop(while: { $0 == UInt8(ascii: "0") }).count <= 19 else {
      return nil
    }
    var magnitude: UInt64 = 0
    for digit in digits {
      guard digit >= 0x30, digit <= 0x39 else { return nil }
      let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, carry) = times.addingReportingOverflow(UInt64(digit - 0x30))
      guard !overflow, !carry else { return nil }
      magnitude = sum
    }
    if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
    return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
  }

  /// Decimal notation (with an exponent), or NaN and the infinities as `meshc cat` prints them.
  static func real(_ text: ArraySlice<UInt8>) -> Double? {
    guard !text.isEmpty, text.count < 64 else { return nil }
    if let value = shortDecimal(text) { return value }
    if text.elementsEqual("NaN".utf8) { return .nan }
    if text.elementsEqual("Infinity".utf8) { return .infinity }
    if text.elementsEqual("-Infinity".utf8) { return -.infinity }
    guard
      text.allSatisfy({
        ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x45 || $0 == 0x65
      })
    else { return nil }
    // Through a NUL-terminated copy on the stack: strtod reads C text, as Double(String) would after a copy.
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer -> Double? in
      for (index, byte) in text.enumerated() { buffer[index] = CChar(bitPattern: byte) }
      buffer[text.count] = 0
      var end: UnsafeMutablePointer<CChar>?
      guard let start = buffer.baseAddress else { return nil }
      let value = strtod(start, &end)
      guard let end, end == start + text.count, value.isFinite else { return nil }
      return value
    }
  }

  /// Powers of ten that are exact doubles.
  private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
    (0..<exponent).reduce(1.0) { power, _ in power * 10 }
  }

  /// `[-+]digits[.digits]` with at most 15 digits in all, without an exponent — most
  /// numbers in files — read without strtod: the digits as an integer and the power of
  /// ten are both exact doubles, so one division rounds correctly (Clinger's fast path).
  /// Nil for anything else, which strtod reads.
  private static func shortDecimal(_ text: ArraySlice<UInt8>) -> Double? {
    var digits: UInt64 = 0
    var count = 0
    var afterPoint = -1
    var negative = false
    var index = text.startIndex
    if text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
      negative = text[index] == UInt8(ascii: "-")
      index += 1
    }
    while index < text.endIndex {
      let byte = text[index]
      if byte >= 0x30, byte <= 0x39 {
        digits = digits &* 10 &+ UInt64(byte - 0x30)
        count += 1
        if afterPoint >= 0 { afterPoint += 1 }
      } else if byte == UInt8(ascii: "."), afterPoint < 0 {
        afterPoint = 0
      } else {
        return nil
      }
      index += 1
    }
    guard count > 0, count <= 15, afterPoint != 0 else { return nil }
    let value = Double(digits) / exactPowersOfTen[max(afterPoint, 0)]
    return negative ? -value : value
  }

  /// Digits with at most `scale` of them after the point, and at most `precision` in all.
  static func decimal(_ text: ArraySlice<UInt8>, precision: Int, scale: Int) -> Result<Int64, TextValueError> {
    let expected = TextValueError("expected a decimal with at most \(precision) digits, \(scale) after the point")
    var rest = text[...]
    let negative = rest.first == UInt8(ascii: "-")
    if negative || rest.first == UInt8(ascii: "+") { rest = rest.dropFirst() }
    let point = rest.firstIndex(of: UInt8(ascii: "."))
    let whole = point.map { rest[..<$0] } ?? rest
    let fraction = point.map { rest[rest.index(after: $0)...] } ?? []
    guard !whole.isEmpty || !fraction.isEmpty, fraction.count <= scale else { return .failure(expected) }
    var unscaled: Int64 = 0
    var digits = 0
    for digit in whole + fraction + [UInt8](repeating: 0x30, count: scale - fraction.count) {
      guard digit >= 0x30, digit <= 0x39 else { return .failure(expected) }
      if digits > 0 || digit != 0x30 { digits += 1 }
      guard digits <= precision else { return .failure(expected) }
      unscaled = unscaled * 10 + Int64(digit - 0x30)
    }
    return .success(negative ? -unscaled : unscaled)
  }
}

/// Why a value's text did not read as its type.
struct TextValueError: Error, Equatable {
  var message: String
  init(_ message: String) { self.message = message }
}
