import MeshBytes

/// Bytes as a dictionary key of state. Keys of up to 16 bytes — most join and group keys:
/// ids, names, dates — are held in two words, so that making one to look a record's key
/// up allocates nothing; longer ones in an array. The hash is computed once, with
/// `ByteHash`, and compared before the bytes.
struct StateKey: Hashable {
  /// The first 16 bytes (zero past the end), and the whole key when longer.
  private let words: (UInt64, UInt64)
  private let long: [UInt8]?
  let count: Int
  private let hash: UInt64

  private static let inlineBytes = 16

  init(_ bytes: [UInt8]) {
    self = bytes.withUnsafeBytes { StateKey($0, keeping: bytes) }
  }

  /// A key of bytes that may not outlive the call.
  init(_ bytes: UnsafeRawBufferPointer) { self.init(bytes, keeping: nil) }

  private init(_ bytes: UnsafeRawBufferPointer, keeping array: [UInt8]?) {
    count = bytes.count
    hash = ByteHash.hash(bytes)
    guard bytes.count <= Self.inlineBytes else {
      words = (0, 0)
      long = array ?? Array(bytes)
      return
    }
    var words: (UInt64, UInt64) = (0, 0)
    withUnsafeMutableBytes(of: &words) { target in
      guard let source = bytes.baseAddress, let target = target.baseAddress else { return }
      ShortCopy.copy(source, to: target, count: bytes.count)
    }
    self.words = words
    long = nil
  }

  var bytes: [UInt8] {
    if let long { return long }
    var words = self.words
    return Swift.withUnsafeBytes(of: &words) { Array($0.prefix(count)) }
  }

  /// Byte order (a shorter key before the longer ones it begins).
  func precedes(_ other: StateKey) -> Bool {
    if long == nil, other.long == nil {
      // Big-endian words compare as their bytes do; zero padding sorts a prefix first.
      let (a, b) = (UInt64(bigEndian: words.0), UInt64(bigEndian: other.words.0))
      if a != b { return a < b }
      let (c, d) = (UInt64(bigEndian: words.1), UInt64(bigEndian: other.words.1))
      return c != d ? c < d : count < other.count
    }
    return bytes.lexicographicallyPrecedes(other.bytes)
  }

  func hash(into hasher: inout Hasher) { hasher.combine(hash) }

  /// What `Dictionary` and `Set` ask for: the stored hash mixed with their seed, rather
  /// than a SipHash of it, which cost a lookup more than the rest of it.
  func _rawHashValue(seed: Int) -> Int { Int(truncatingIfNeeded: ByteHash.mix(hash ^ UInt64(UInt(bitPattern: seed)))) }

  static func == (a: StateKey, b: StateKey) -> Bool {
    guard a.hash == b.hash, a.count == b.count else { return false }
    if let long = a.long { return long == b.long }
    return a.words == b.words
  }
}
