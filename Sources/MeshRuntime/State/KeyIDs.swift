#if canImport(Glibc)
  import Glibc
#endif

/// Byte strings numbered 0, 1, 2, … in the order they are first seen, in an open-addressing
/// table whose keys live in one byte buffer: finding a key's id allocates nothing and
/// hashes its bytes a word at a time (a `Dictionary` of arrays allocates an array per key
/// and hashes through `Hasher`, which led a stream-stream join's profile). Not thread-safe.
struct KeyIDs {
  private var bytes: [UInt8] = []
  /// Key `id` is `bytes[offsets[id]..<offsets[id + 1]]`.
  private var offsets: [Int] = [0]
  private var hashes: [UInt64] = []
  /// Slots of the table: an id, or -1 for none; a power of two in size, at most half full.
  private var slots: [Int32] = Array(repeating: -1, count: 16)

  var count: Int { hashes.count }

  /// The id of `key`, numbered next when it has none.
  mutating func id(of key: UnsafeRawBufferPointer) -> Int32 {
    let hash = Self.hash(key)
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let id = slots[slot]
      if id < 0 { break }
      if hashes[Int(id)] == hash, matches(Int(id), key) { return id }
      slot = (slot + 1) & mask
    }
    let id = Int32(hashes.count)
    hashes.append(hash)
    bytes.append(contentsOf: key)
    offsets.append(bytes.count)
    slots[slot] = id
    if hashes.count * 2 > slots.count { grow() }
    return id
  }

  mutating func id(of key: [UInt8]) -> Int32 { key.withUnsafeBytes { id(of: $0) } }

  /// Key `id`'s bytes.
  func key(_ id: Int32) -> [UInt8] { Array(bytes[offsets[Int(id)]..<offsets[Int(id) + 1]]) }

  private func matches(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
    let start = offsets[id]
    guard offsets[id + 1] - start == key.count else { return false }
    return bytes.withUnsafeBytes { stored in
      guard let stored = stored.baseAddress, let probe = key.baseAddress else { return key.isEmpty }
      return memcmp(stored + start, probe, key.count) == 0
    }
  }

  private mutating func grow() {
    slots = Array(repeating: -1, count: slots.count * 2)
    let mask = slots.count - 1
    for (id, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(id)
    }
  }

  /// Only the keys `keep` says, renumbered in order; what each old id became (-1: gone).
  mutating func keepOnly(_ keep: (Int32) -> Bool) -> [Int32] {
    var kept = KeyIDs()
    var renumbered = [Int32](repeating: -1, count: count)
    for id in 0..<Int32(count) where keep(id) {
      renumbered[Int(id)] = bytes[offsets[Int(id)]..<offsets[Int(id) + 1]].withUnsafeBytes { kept.id(of: $0) }
    }
    self = kept
    return renumbered
  }

  /// A multiply-and-rotate hash over 8-byte words (wyhash's idea, not its constants): keys
  /// are short texts, and this is a table's hash, not a defence against chosen keys.
  static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    var index = 0
    while index + 8 <= key.count {
      let word = key.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      state = (state ^ word) &* 0xBF58_476D_1CE4_E5B9
      state ^= state >> 29
      index += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while index < key.count {
      tail |= UInt64(key[index]) << shift
      shift += 8
      index += 1
    }
    state = (state ^ tail) &* 0x94D0_49BB_1331_11EB
    return state ^ (state >> 31)
  }
}
