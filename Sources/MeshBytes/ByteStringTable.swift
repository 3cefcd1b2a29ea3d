#if canImport(Glibc)
  import Glibc
#endif

/// Distinct byte strings numbered 0, 1, 2, … as first seen — a Parquet chunk's dictionary,
/// a join's key ids — found by an open-addressing hash table over their bytes so that
/// looking one up allocates nothing (a `Dictionary` of arrays allocates an array per
/// lookup and hashes through `Hasher`). Their bytes are one buffer, `offsets` 32-bit: up
/// to 2 GiB of them. Not thread-safe.
public struct ByteStringTable: Sendable {
  /// String `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
  public private(set) var offsets: [Int32] = [0]
  public private(set) var bytes: [UInt8] = []
  /// Each slot holds an entry's index + 1 in its low 32 bits and its hash's high 32 bits
  /// above, so that most probes are settled without touching the entries; 0 is empty.
  private var slots: [UInt64] = Array(repeating: 0, count: 1024)
  private var hashes: [UInt64] = []

  public init() {}

  public var count: Int { offsets.count - 1 }

  /// The index of `value`, added when it is new.
  public mutating func index(of value: UnsafeRawBufferPointer) -> Int32 {
    let hash = ByteHash.hash(value)
    let tag = hash & 0xFFFF_FFFF_0000_0000
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    // Through pointers: the probe loop is the hot path of every lookup, and the slots'
    // and offsets' indices are the table's own, in range by construction.
    let found = slots.withUnsafeBufferPointer { slots in
      offsets.withUnsafeBufferPointer { offsets in
        bytes.withUnsafeBytes { stored -> Int32? in
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

  /// String `index`'s bytes.
  public func string(_ index: Int32) -> [UInt8] {
    Array(bytes[Int(offsets[Int(index)])..<Int(offsets[Int(index) + 1])])
  }

  /// Only the strings `keep` says, renumbered in order; what each old index became (-1:
  /// gone).
  public mutating func keepOnly(_ keep: (Int32) -> Bool) -> [Int32] {
    var kept = ByteStringTable()
    var renumbered = [Int32](repeating: -1, count: count)
    bytes.withUnsafeBytes { stored in
      for index in 0..<Int32(count) where keep(index) {
        let range = Int(offsets[Int(index)])..<Int(offsets[Int(index) + 1])
        renumbered[Int(index)] = kept.index(of: UnsafeRawBufferPointer(rebasing: stored[range]))
      }
    }
    self = kept
    return renumbered
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
}
