/// The one JSON writer of meshc: appends RFC 8259 text to a byte buffer, placing commas
/// itself. Strings are escaped the same way everywhere (`"`, `\`, and control characters;
/// everything else as UTF-8), so `--format json`, `meshc consume` and schema text agree.
///
/// The writer does not check nesting: callers open and close what they write.
public struct JSONWriter: Sendable {
  public var bytes: [UInt8]
  private var needsComma = false

  public init(capacity: Int = 0) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  /// The text written so far.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  public mutating func beginObject() {
    separate()
    bytes.append(UInt8(ascii: "{"))
    needsComma = false
  }

  public mutating func endObject() {
    bytes.append(UInt8(ascii: "}"))
    needsComma = true
  }

  public mutating func beginArray() {
    separate()
    bytes.append(UInt8(ascii: "["))
    needsComma = false
  }

  public mutating func endArray() {
    bytes.append(UInt8(ascii: "]"))
    needsComma = true
  }

  /// A member name; the member's value is whatever is written next.
  public mutating func key(_ name: String) {
    separate()
    JSONWriter.appendQuoted(name.utf8, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    needsComma = false
  }

  public mutating func string(_ text: String) {
    separate()
    JSONWriter.appendQuoted(text.utf8, to: &bytes)
    needsComma = true
  }

  /// A string from bytes that are valid UTF-8 (the caller has checked).
  public mutating func string(utf8: some Collection<UInt8>) {
    separate()
    JSONWriter.appendQuoted(utf8, to: &bytes)
    needsComma = true
  }

  public mutating func number(_ value: some BinaryInteger) {
    separate()
    bytes.append(contentsOf: String(value).utf8)
    needsComma = true
  }

  /// A finite double in the shortest form that reads back the same; JSON has no
  /// spelling for NaN or the infinities, so those are written as `null`.
  public mutating func number(_ value: Double) {
    separate()
    bytes.append(contentsOf: (value.isFinite ? JSONWriter.text(of: value) : "null").utf8)
    needsComma = true
  }

  public mutating func bool(_ value: Bool) {
    separate()
    bytes.append(contentsOf: (value ? "true" : "false").utf8)
    needsComma = true
  }

  public mutating func null() {
    separate()
    bytes.append(contentsOf: "null".utf8)
    needsComma = true
  }

  /// Text that is already one JSON value (checked by the caller, e.g. with `JSONTokenizer`).
  public mutating func raw(_ json: some Collection<UInt8>) {
    separate()
    bytes.append(contentsOf: json)
    needsComma = true
  }

  private mutating func separate() {
    if needsComma { bytes.append(UInt8(ascii: ",")) }
  }

  // MARK: One-off values

  /// A JSON string literal for any Swift string.
  public static func quote(_ text: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + 2)
    appendQuoted(text.utf8, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// `12`, `12.5`, `1e+300`: Swift's shortest round-tripping form, which is JSON for
  /// finite values (integral doubles keep no `.0`).
  public static func text(of value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  public static func appendQuoted(_ utf8: some Collection<UInt8>, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in utf8 {
      switch byte {
      case UInt8(ascii: "\""): out += [0x5C, 0x22]
      case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
      case 0x0A: out += [0x5C, UInt8(ascii: "n")]
      case 0x0D: out += [0x5C, UInt8(ascii: "r")]
      case 0x09: out += [0x5C, UInt8(ascii: "t")]
      case 0..<0x20:
        out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
