/// The distinct values of a dictionary-encoded INT32, INT64, FLOAT or DOUBLE chunk, by
/// their bits: a table of integers, cheaper than hashing their bytes.
struct NumberDictionary {
  let width: Int
  private(set) var keys: [UInt64] = []
  private var slots: [Int32] = Array(repeating: -1, count: 1024)
  private var shift: UInt64 = 64 - 10

  init(width: Int) { self.width = width }

  var count: Int { keys.count }

  mutating func index(of key: UInt64) -> Int32 {
    let mask = slots.count - 1
    // Fibonacci hashing: the top bits of the product spread consecutive numbers.
    var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    while true {
      let existing = slots[slot]
      if existing < 0 { break }
      if keys[Int(existing)] == key { return existing }
      slot = (slot + 1) & mask
    }
    let index = Int32(keys.count)
    keys.append(key)
    slots[slot] = index
    if keys.count * 2 > slots.count { grow() }
    return index
  }

  private mutating func grow() {
    slots = Array(repeating: -1, count: slots.count * 2)
    shift -= 1
    let mask = slots.count - 1
    for (index, key) in keys.enumerated() {
      var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(index)
    }
  }

  /// The values PLAIN-encoded, as the dictionary page holds them.
  var plain: [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(keys.count * width)
    for key in keys {
      for shift in 0..<width { bytes.append(UInt8(truncatingIfNeeded: key >> UInt64(8 * shift))) }
    }
    return bytes
  }
}
