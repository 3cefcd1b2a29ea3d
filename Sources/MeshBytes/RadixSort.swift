/// Sorts integers a byte at a time, least significant first (a stable counting sort per
/// byte): for thousands of values it takes a fraction of a comparison sort's time, and
/// only the bytes below `bits` are looked at, the rest being zero.
public enum RadixSort {
  public static func sort(_ values: inout [UInt64], significantBits bits: Int) {
    // Below a few hundred values the passes over 256 counters cost more than they save.
    guard values.count >= 256 else {
      values.sort()
      return
    }
    var scratch = [UInt64](repeating: 0, count: values.count)
    var counts = [Int](repeating: 0, count: 256)
    var shift: UInt64 = 0
    while shift < UInt64(min(bits, 64)) {
      let skipped = counts.withUnsafeMutableBufferPointer { counts in
        values.withUnsafeBufferPointer { values in
          scratch.withUnsafeMutableBufferPointer { scratch in
            pass(values, into: scratch, counts: counts, shift: shift)
          }
        }
      }
      if !skipped { swap(&values, &scratch) }
      shift += 8
    }
  }

  /// One counting sort by the byte at `shift`; false when every value has the same byte
  /// there (nothing to move).
  private static func pass(
    _ values: UnsafeBufferPointer<UInt64>, into sorted: UnsafeMutableBufferPointer<UInt64>,
    counts: UnsafeMutableBufferPointer<Int>, shift: UInt64
  ) -> Bool {
    for index in counts.indices { counts[index] = 0 }
    for value in values { counts[Int(truncatingIfNeeded: (value >> shift) & 0xFF)] += 1 }
    if counts.contains(values.count) { return true }
    var start = 0
    for index in counts.indices {
      let count = counts[index]
      counts[index] = start
      start += count
    }
    for value in values {
      let digit = Int(truncatingIfNeeded: (value >> shift) & 0xFF)
      sorted[counts[digit]] = value
      counts[digit] += 1
    }
    return false
  }
}
