/// Base64 (RFC 4648, with padding): how JSON output carries bytes.
public enum Base64 {
  public static func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
    let bytes = Array(bytes)
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 3 <= bytes.count {
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      for shift in [18, 12, 6, 0] { out.append(alphabet[Int(chunk >> UInt32(shift) & 63)]) }
      index += 3
    }
    let rest = bytes.count - index
    if rest > 0 {
      var chunk = UInt32(bytes[index]) << 16
      if rest == 2 { chunk |= UInt32(bytes[index + 1]) << 8 }
      out.append(alphabet[Int(chunk >> 18 & 63)])
      out.append(alphabet[Int(chunk >> 12 & 63)])
      out.append(rest == 2 ? alphabet[Int(chunk >> 6 & 63)] : UInt8(ascii: "="))
      out.append(UInt8(ascii: "="))
    }
    return out
  }

  /// The bytes of padded base64 text (unpadded text is accepted too); nil when it is not base64.
  public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(text.count / 4 * 3)
    var chunk: UInt32 = 0
    var count = 0
    var padding = 0
    for character in text {
      let value: UInt32
      switch character {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(character - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(character - UInt8(ascii: "a")) + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(character - UInt8(ascii: "0")) + 52
      case UInt8(ascii: "+"): value = 62
      case UInt8(ascii: "/"): value = 63
      case UInt8(ascii: "="):
        padding += 1
        continue
      default: return nil
      }
      guard padding == 0 else { return nil }
      chunk = chunk << 6 | value
      count += 1
      if count == 4 {
        out.append(UInt8(truncatingIfNeeded: chunk >> 16))
        out.append(UInt8(truncatingIfNeeded: chunk >> 8))
        out.append(UInt8(truncatingIfNeeded: chunk))
        chunk = 0
        count = 0
      }
    }
    switch count {
    case 0: guard padding == 0 else { return nil }
    case 2:
      guard padding == 0 || padding == 2, chunk & 0xF == 0 else { return nil }
      out.append(UInt8(truncatingIfNeeded: chunk >> 4))
    case 3:
      guard padding == 0 || padding == 1, chunk & 0x3 == 0 else { return nil }
      out.append(UInt8(truncatingIfNeeded: chunk >> 10))
      out.append(UInt8(truncatingIfNeeded: chunk >> 2))
    default: return nil
    }
    return out
  }
}
