/// A hash of byte strings for in-memory tables (a Parquet writer's dictionary, a join's key
/// ids): fast on short keys, not a defence against chosen ones.
public enum ByteHash {
  /// Eight bytes at a time, the last few as one more word: a multiply and a shift per
  /// word, then a final mix (the murmur3 finalizer).
  public static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
    var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(value.count)
    var offset = 0
    while offset + 8 <= value.count {
      hash = (hash ^ value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
      hash ^= hash >> 29
      offset += 8
    }
    if offset < value.count {
      // The last word read whole, overlapping the one before, when there is one; else
      // the few bytes as two halves that may overlap, or one by one.
      var tail: UInt64 = 0
      if value.count >= 8 {
        tail = value.loadUnaligned(fromByteOffset: value.count - 8, as: UInt64.self)
      } else if value.count >= 4 {
        tail =
          UInt64(value.loadUnaligned(as: UInt32.self))
          | UInt64(value.loadUnaligned(fromByteOffset: value.count - 4, as: UInt32.self)) << 32
      } else {
        for index in 0..<value.count { tail |= UInt64(value[index]) << (8 * UInt64(index)) }
      }
      hash = (hash ^ tail) &* 0xFF51_AFD7_ED55_8CCD
    }
    return mix(hash)
  }

  /// The murmur3 finalizer: every bit of `value` moves every bit of the result.
  @inlinable
  public static func mix(_ value: UInt64) -> UInt64 {
    var hash = value ^ (value >> 33)
    hash = hash &* 0xFF51_AFD7_ED55_8CCD
    hash ^= hash >> 33
    hash = hash &* 0xC4CE_B9FE_1A85_EC53
    return hash ^ (hash >> 33)
  }
}
