#if canImport(Glibc)
  import Glibc
#endif

/// The distinct byte strings of a dictionary-encoded chunk, found by an open-addressing
/// hash table over their bytes so that looking a value up allocates nothing.
struct BinaryDictionary {
  private(set) var offsets: [Int32] = [0]
  private(set) var bytes: [UInt8] = []
  /// Each slot holds an entry's index + 1 in its low 32 bits and its hash's high 32 bits
  /// above, so that most probes are settled without touching the entries; 0 is empty.
  private var slots: [UInt64] = Array(repeating: 0, count: 1024)
  private var hashes: [UInt64] = []

  var count: Int { offsets.count - 1 }

  /// The index of `value`, added when it is new.
  mutating func index(of value: UnsafeRawBufferPointer) -> Int32 {
    let hash = Self.hash(value)
    let tag = hash & 0xFFFF_FFFF_0000_0000
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    let found = bytes.withUnsafeBytes { stored -> Int32? in
      while true {
        let entry = slots[slot]
        if entry == 0 { return nil }
        if entry & 0xFFFF_FFFF_0000_0000 == tag {
          let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
          let start = Int(offsets[index])
          if Int(offsets[index + 1]) - start == value.count {
            guard let base = stored.baseAddress, let other = value.baseAddress else { return Int32(index) }
            if memcmp(base + start, other, value.count) == 0 { return Int32(index) }
          }
        }
        slot = (slot + 1) & mask
      }
    }
    if let found { return found }
    let index = Int32(count)
    bytes.append(contentsOf: value)
    offsets.append(Int32(truncatingIfNeeded: bytes.count))
    hashes.append(hash)
    slots[slot] = tag | UInt64(index + 1)
    if count * 2 > slots.count { grow() }
    return index
  }

  private mutating func grow() {
    slots = Array(repeating: 0, count: slots.count * 2)
    let mask = slots.count - 1
    for (index, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
    }
  }

  /// Eight bytes at a time, the last few read as one partial word: a multiply and a
  /// shift per word, then a final mix (the murmur3 finalizer).
  static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
    var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(value.count)
    var offset = 0
    while offset + 8 <= value.count {
      hash = (hash ^ value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
      hash ^= hash >> 29
      offset += 8
    }
    if offset < value.count {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while offset < value.count {
        tail |= UInt64(value[offset]) << shift
        shift += 8
        offset += 1
      }
      hash = (hash ^ tail) &* 0xFF51_AFD7_ED55_8CCD
    }
    hash ^= hash >> 33
    hash = hash &* 0xC4CE_B9FE_1A85_EC53
    return hash ^ (hash >> 33)
  }
}

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
