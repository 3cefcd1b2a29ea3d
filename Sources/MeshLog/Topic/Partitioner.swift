/// Chooses a partition for a record the way Kafka's default partitioner does, so that
/// a key lands in the same partition here and in Kafka (for the same partition count):
/// `toPositive(murmur2(keyBytes)) % numPartitions`. Records without a key are spread
/// by the caller (sticky per append, round-robin across appends).
public enum Partitioner {
  public static func partition(forKey key: [UInt8], partitionCount: Int) -> Int {
    guard partitionCount > 1 else { return 0 }
    return Int(toPositive(murmur2(key))) % partitionCount
  }

  /// Kafka's `Utils.toPositive`: clears the sign bit (not `abs`, which overflows).
  public static func toPositive(_ value: Int32) -> Int32 { value & 0x7FFF_FFFF }

  /// Kafka's `Utils.murmur2`: MurmurHash2, 32-bit, seed 0x9747b28c, little-endian words.
  public static func murmur2(_ data: [UInt8]) -> Int32 {
    let length = data.count
    let m: UInt32 = 0x5BD1_E995
    let r: UInt32 = 24
    var h: UInt32 = 0x9747_B28C ^ UInt32(truncatingIfNeeded: length)
    let words = length / 4
    for word in 0..<words {
      let i = word * 4
      var k = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
      k = k &* m
      k ^= k >> r
      k = k &* m
      h = h &* m
      h ^= k
    }
    let tail = length & ~3
    switch length % 4 {
    case 3:
      h ^= UInt32(data[tail + 2]) << 16
      h ^= UInt32(data[tail + 1]) << 8
      h ^= UInt32(data[tail])
      h = h &* m
    case 2:
      h ^= UInt32(data[tail + 1]) << 8
      h ^= UInt32(data[tail])
      h = h &* m
    case 1:
      h ^= UInt32(data[tail])
      h = h &* m
    default: break
    }
    h ^= h >> 13
    h = h &* m
    h ^= h >> 15
    return Int32(bitPattern: h)
  }
}
