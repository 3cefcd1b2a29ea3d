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
    self.count = count
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
