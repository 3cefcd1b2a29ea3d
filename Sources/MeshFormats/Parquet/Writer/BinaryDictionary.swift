/// The distinct byte strings of a dictionary-encoded chunk, found by an open-addressing
/// hash table over their bytes so that looking a value up allocates nothing.
struct BinaryDictionary {
  private(set) var offsets: [Int32] = [0]
  private(set) var bytes: [UInt8] = []
  private var slots: [Int32] = Array(repeating: -1, count: 1024)

  var count: Int { offsets.count - 1 }

  /// The index of `value`, added when it is new.
  mutating func index(of value: UnsafeRawBufferPointer) -> Int32 {
    var slot = Int(Self.hash(value) & UInt64(slots.count - 1))
    while true {
      let existing = slots[slot]
      if existing < 0 { break }
      let start = Int(offsets[Int(existing)])
      let end = Int(offsets[Int(existing) + 1])
      if end - start == value.count,
        bytes.withUnsafeBytes({ UnsafeRawBufferPointer(rebasing: $0[start..<end]).elementsEqual(value) })
      {
        return existing
      }
      slot = (slot + 1) & (slots.count - 1)
    }
    let index = Int32(count)
    bytes.append(contentsOf: value)
    offsets.append(Int32(truncatingIfNeeded: bytes.count))
    slots[slot] = index
    if count * 2 > slots.count { grow() }
    return index
  }

  private mutating func grow() {
    slots = Array(repeating: -1, count: slots.count * 2)
    bytes.withUnsafeBytes { stored in
      for index in 0..<count {
        let start = Int(offsets[index])
        let value = UnsafeRawBufferPointer(rebasing: stored[start..<Int(offsets[index + 1])])
        var slot = Int(Self.hash(value) & UInt64(slots.count - 1))
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = Int32(index)
      }
    }
  }

  /// FNV-1a, eight bytes at a time, mixed at the end.
  static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    var offset = 0
    while offset + 8 <= value.count {
      hash = (hash ^ value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01B3
      offset += 8
    }
    while offset < value.count {
      hash = (hash ^ UInt64(value[offset])) &* 0x0000_0100_0000_01B3
      offset += 1
    }
    hash ^= hash >> 33
    hash = hash &* 0xFF51_AFD7_ED55_8CCD
    return hash ^ (hash >> 33)
  }
}
