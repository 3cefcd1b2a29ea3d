/// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing past U+10FFFF), without making a `String`: `String(validating:)` costs about a
/// thousand instructions a call through its generic path, which decoding a column of
/// strings paid per value. ASCII, the common case, is checked eight bytes at a time.
public enum UTF8Validation {
  public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    var index = 0
    while index < count {
      // Eight ASCII bytes at a time.
      while index + 8 <= count, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        index += 8
      }
      guard index < count else { return true }
      let lead = base.load(fromByteOffset: index, as: UInt8.self)
      if lead < 0x80 {
        index += 1
        continue
      }
      // The length of the sequence and the range its second byte must lie in.
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0  // no overlong three-byte forms
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F  // no surrogates
      case 0xF0:
        length = 4
        low = 0x90  // no overlong four-byte forms
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F  // nothing past U+10FFFF
      default: return false  // a continuation byte, C0, C1 or F5 and above
      }
      guard index + length <= count else { return false }
      let second = base.load(fromByteOffset: index + 1, as: UInt8.self)
      guard second >= low, second <= high else { return false }
      for offset in 2..<length {
        guard base.load(fromByteOffset: index + offset, as: UInt8.self) & 0xC0 == 0x80 else { return false }
      }
      index += length
    }
    return true
  }

  public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
    if let fast = bytes.withContiguousStorageIfAvailable({ isValid(UnsafeRawBufferPointer($0)) }) { return fast }
    return Array(bytes).withUnsafeBytes { isValid($0) }
  }
}
