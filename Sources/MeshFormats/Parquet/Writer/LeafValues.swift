import MeshBytes
import MeshData

#if canImport(Glibc)
  import Glibc
#endif

/// How the values of a leaf's column become its physical values, chosen once per leaf.
enum LeafValueKind {
  case null
  case boolean
  case int32
  /// An Int64 column stored as INT32: decimals of up to 9 digits and time-millis.
  case int32FromInt64
  case int64
  case float
  case double
  case binary
  case enumSymbols([[UInt8]])
  case fixed(Int)
  /// The 36-character text of a uuid, stored as its 16 bytes.
  case uuid

  init(_ type: DataType) {
    switch type {
    case .null: self = .null
    case .boolean: self = .boolean
    case .int32, .date: self = .int32
    case .decimal(let precision, _): self = precision <= 9 ? .int32FromInt64 : .int64
    case .time(.millis): self = .int32FromInt64
    case .int64, .time, .timestamp, .duration: self = .int64
    case .float32: self = .float
    case .float64: self = .double
    case .string, .bytes, .opaque, .record, .array, .map: self = .binary
    case .fixed(let size): self = .fixed(size)
    case .uuid: self = .uuid
    case .enumeration(_, let symbols): self = .enumSymbols(symbols.map { Array($0.utf8) })
    }
  }

  /// Whether values have one width (their PLAIN form has no length prefix).
  var fixedWidth: Bool {
    switch self {
    case .binary, .enumSymbols: false
    default: true
    }
  }
}

/// The smallest and largest value of a chunk in its column's order, kept in the form
/// the statistics store them (PLAIN bytes, without a length prefix).
struct ValueBounds {
  private var lowInteger = Int64.max
  private var highInteger = Int64.min
  private var lowDouble = Double.infinity
  private var highDouble = -Double.infinity
  private var lowBytes: [UInt8]?
  private var highBytes: [UInt8]?
  /// Their first eight bytes as big-endian words, zero-padded: most values are settled by
  /// comparing those, without `memcmp`.
  private var lowPrefix: UInt64 = 0
  private var highPrefix: UInt64 = 0
  private var seen = false

  mutating func add(_ value: Int64) {
    lowInteger = min(lowInteger, value)
    highInteger = max(highInteger, value)
    seen = true
  }

  mutating func add(_ value: Double) {
    guard !value.isNaN else { return }
    lowDouble = min(lowDouble, value)
    highDouble = max(highDouble, value)
    seen = true
  }

  mutating func add(_ value: UnsafeRawBufferPointer) {
    let prefix = Self.prefix(value)
    // Unequal prefixes order as the bytes do (a shorter value's padding sorts first).
    func order(_ bound: [UInt8]?, _ boundPrefix: UInt64) -> Int? {
      guard let bound else { return nil }
      return prefix != boundPrefix ? (prefix < boundPrefix ? -1 : 1) : Self.compare(value, bound)
    }
    if (order(lowBytes, lowPrefix) ?? -1) < 0 { (lowBytes, lowPrefix) = (Array(value), prefix) }
    if (order(highBytes, highPrefix) ?? 1) > 0 { (highBytes, highPrefix) = (Array(value), prefix) }
    seen = true
  }

  private static func prefix(_ value: UnsafeRawBufferPointer) -> UInt64 {
    var word: UInt64 = 0
    withUnsafeMutableBytes(of: &word) { target in
      guard let source = value.baseAddress, let target = target.baseAddress else { return }
      ShortCopy.copy(source, to: target, count: min(8, value.count))
    }
    return UInt64(bigEndian: word)
  }

  /// Unsigned byte order, shorter first on a common prefix (Parquet's order for binary).
  static func compare(_ value: UnsafeRawBufferPointer, _ other: [UInt8]) -> Int {
    other.withUnsafeBytes { stored in
      let common = min(value.count, stored.count)
      if common > 0, let a = value.baseAddress, let b = stored.baseAddress {
        let order = memcmp(a, b, common)
        if order != 0 { return Int(order) }
      }
      return value.count - stored.count
    }
  }

  /// Long byte strings are left out: a bound must be exact or provably outside the values.
  static let longestBound = 64

  func encoded(_ kind: LeafValueKind) -> (min: [UInt8], max: [UInt8])? {
    guard seen else { return nil }
    func bytes<T>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
    switch kind {
    case .null: return nil
    case .boolean: return ([lowInteger == 0 ? 0 : 1], [highInteger == 0 ? 0 : 1])
    case .int32, .int32FromInt64:
      return (
        bytes(Int32(truncatingIfNeeded: lowInteger).littleEndian),
        bytes(Int32(truncatingIfNeeded: highInteger).littleEndian)
      )
    case .int64: return (bytes(lowInteger.littleEndian), bytes(highInteger.littleEndian))
    case .float:
      // The specification's rule for zeros: a zero minimum is -0, a zero maximum +0.
      let low = Float(lowDouble) == 0 ? -Float(0) : Float(lowDouble)
      let high = Float(highDouble) == 0 ? Float(0) : Float(highDouble)
      return (bytes(low.bitPattern.littleEndian), bytes(high.bitPattern.littleEndian))
    case .double:
      let low = lowDouble == 0 ? -Double(0) : lowDouble
      let high = highDouble == 0 ? Double(0) : highDouble
      return (bytes(low.bitPattern.littleEndian), bytes(high.bitPattern.littleEndian))
    case .binary, .enumSymbols, .fixed, .uuid:
      guard let lowBytes, let highBytes, lowBytes.count <= Self.longestBound, highBytes.count <= Self.longestBound
      else {
        return nil
      }
      return (lowBytes, highBytes)
    }
  }
}

enum UUIDText {
  /// The 16 bytes of `8-4-4-4-12` hexadecimal text.
  static func bytes(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    var result: [UInt8] = []
    result.reserveCapacity(16)
    var high: UInt8?
    for character in text {
      if character == UInt8(ascii: "-") { continue }
      guard let nibble = hexValue(character) else { return nil }
      if let first = high {
        result.append(first << 4 | nibble)
        high = nil
      } else {
        high = nibble
      }
    }
    return result.count == 16 && high == nil && text.count == 36 ? result : nil
  }

  static func text(_ bytes: some Collection<UInt8>) -> [UInt8] {
    let digits = Array("0123456789abcdef".utf8)
    var result: [UInt8] = []
    result.reserveCapacity(36)
    for (index, byte) in bytes.enumerated() {
      if index == 4 || index == 6 || index == 8 || index == 10 { result.append(UInt8(ascii: "-")) }
      result.append(digits[Int(byte >> 4)])
      result.append(digits[Int(byte & 15)])
    }
    return result
  }

  private static func hexValue(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
