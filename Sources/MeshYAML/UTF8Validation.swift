/// Finds the first byte that is not part of well-formed UTF-8, so a file in another
/// encoding gets a diagnostic at the right place rather than libyaml's byte offset.
enum UTF8Validation {
  static func firstInvalidByte(_ bytes: [UInt8]) -> Int? {
    var index = 0
    let count = bytes.count
    while index < count {
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      let length: Int
      let minimum: UInt32
      switch lead {
      case 0xC2...0xDF: (length, minimum) = (2, 0x80)
      case 0xE0...0xEF: (length, minimum) = (3, 0x800)
      case 0xF0...0xF4: (length, minimum) = (4, 0x10000)
      default: return index
      }
      guard index + length <= count else { return index }
      var scalar = UInt32(lead) & (0xFF >> (length + 1))
      for offset in 1..<length {
        let next = bytes[index + offset]
        guard next & 0xC0 == 0x80 else { return index }
        scalar = scalar << 6 | UInt32(next & 0x3F)
      }
      // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
      if scalar < minimum || (0xD800...0xDFFF).contains(scalar) || scalar > 0x10FFFF { return index }
      index += length
    }
    return nil
  }
}
