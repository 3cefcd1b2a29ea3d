/// One bit per row: which values are present (1) or null (0).
public struct Bitmap: Hashable, Sendable {
  public private(set) var words: [UInt64]
  public private(set) var count: Int

  public init() {
    words = []
    count = 0
  }

  public init(repeating value: Bool, count: Int) {
    words = [UInt64](repeating: value ? ~0 : 0, count: (count + 63) / 64)
    // Bits past `count` stay clear: `append` only sets bits.
    if value, count & 63 != 0, let last = words.indices.last { words[last] &= (1 << UInt64(count & 63)) - 1 }
    self.count = count
  }

  /// Row `i` is bit `i % 64` of word `i / 64`; words past `count` are dropped and bits
  /// past it cleared, as the other initializers keep them.
  public init(words: [UInt64], count: Int) {
    let count = max(0, count)
    var words = Array(words.prefix((count + 63) / 64))
    while words.count < (count + 63) / 64 { words.append(0) }
    if count & 63 != 0, let last = words.indices.last { words[last] &= (1 << UInt64(count & 63)) - 1 }
    self.words = words
    self.count = count
  }

  /// Rows present in both; nil stands for "no row is null".
  public static func both(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
    guard let a else { return b }
    guard let b else { return a }
    return a.intersection(b)
  }

  public subscript(index: Int) -> Bool {
    get { words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
    set {
      if newValue {
        words[index >> 6] |= 1 << UInt64(index & 63)
      } else {
        words[index >> 6] &= ~(1 << UInt64(index & 63))
      }
    }
  }

  public mutating func append(_ value: Bool) {
    if count & 63 == 0 { words.append(0) }
    if value { words[count >> 6] |= 1 << UInt64(count & 63) }
    count += 1
  }

  /// Keeps the first `newCount` bits.
  public mutating func truncate(to newCount: Int) {
    guard newCount < count else { return }
    count = max(0, newCount)
    words.removeSubrange(((count + 63) / 64)...)
    if count & 63 != 0, let last = words.indices.last { words[last] &= (1 << UInt64(count & 63)) - 1 }
  }

  public mutating func reserveCapacity(_ rows: Int) { words.reserveCapacity((rows + 63) / 64) }

  /// Rows present in both.
  public func intersection(_ other: Bitmap) -> Bitmap {
    var result = self
    for index in result.words.indices where index < other.words.count { result.words[index] &= other.words[index] }
    return result
  }

  public var nullCount: Int {
    var present = 0
    for word in words { present += word.nonzeroBitCount }
    // The last word's bits past `count` are never set.
    return count - present
  }
}
