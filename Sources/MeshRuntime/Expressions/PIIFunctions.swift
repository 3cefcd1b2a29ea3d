import Crypto
import MeshData
import MeshPlan

/// The masking functions: sha256 and keyed hmac (SHA-256) as lowercase hex of the
/// value's bytes (UTF-8 for text), mask (every character a '*', but the last `keep`),
/// redact (the text '[redacted]'). NULL stays NULL.
enum PIIFunctions {
  static let redacted = Array("[redacted]".utf8)

  static func kernel(_ function: ScalarFunction, key: [UInt8]?) -> CallNode.Kernel? {
    switch function {
    case .sha256:
      return { args, count, _ in
        RowWise.strings(args[0], count: count) { bytes, out in hex(SHA256.hash(data: Array(bytes)), &out) }
      }
    case .hmac:
      guard let key else { return nil }
      return { args, count, _ in
        // The key is kept as bytes (SymmetricKey is not Sendable) and made once per batch.
        let symmetric = SymmetricKey(data: key)
        return RowWise.strings(args[0], count: count) { bytes, out in
          hex(HMAC<SHA256>.authenticationCode(for: Array(bytes), using: symmetric), &out)
        }
      }
    case .mask:
      return { args, count, _ in
        let keep = args.count > 1 ? max(0, RowWise.integer(args[1], 0) ?? 0) : 0
        return RowWise.strings(args[0], count: count) { bytes, out in
          let characters = UTF8Text.characterCount(bytes)
          let shown = Int(min(Int64(characters), keep))
          out += [UInt8](repeating: 0x2A, count: characters - shown)
          out += UTF8Text.characters(bytes, characters - shown, characters)
        }
      }
    case .redact:
      return { args, count, _ in RowWise.strings(args[0], count: count) { _, out in out += redacted } }
    default:
      return nil
    }
  }

  private static func hex(_ digest: some Sequence<UInt8>, _ out: inout [UInt8]) {
    let digits = Array("0123456789abcdef".utf8)
    for byte in digest {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
  }
}
