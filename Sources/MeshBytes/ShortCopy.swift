/// Copies of a few bytes — keys, names, the strings of most columns — done inline: a call
/// to `memcpy` costs several times the copy of a 10-byte string.
public enum ShortCopy {
  /// Copies `count` bytes from `source` to `target` (which do not overlap).
  @inlinable
  public static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
    if count > 16 {
      target.copyMemory(from: source, byteCount: count)
    } else if count >= 8 {
      // Two words that overlap in the middle cover 8 to 16 bytes.
      let head = source.loadUnaligned(as: UInt64.self)
      let tail = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      target.storeBytes(of: head, as: UInt64.self)
      target.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
    } else if count >= 4 {
      let head = source.loadUnaligned(as: UInt32.self)
      let tail = source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
      target.storeBytes(of: head, as: UInt32.self)
      target.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
    } else {
      for offset in 0..<count {
        target.storeBytes(of: source.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
      }
    }
  }
}
