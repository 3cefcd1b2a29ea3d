import CCRC32C

/// CRC-32C (Castagnoli), the checksum of log batches: the SSE4.2 instruction where the
/// CPU has it, a slicing-by-8 table otherwise. Chains: `update(update(0, a), b)` equals the
/// checksum of `a` followed by `b`.
public enum CRC32C {
  @inlinable
  public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
    meshc_crc32c(crc, bytes.baseAddress, bytes.count)
  }

  public static func checksum(_ bytes: some ContiguousBytes, continuing crc: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBytes { checksum($0, continuing: crc) }
  }

  public static var isHardwareAccelerated: Bool { meshc_crc32c_is_hardware() == 1 }
}

/// Byte containers that expose their storage (Array, ArraySlice, ContiguousArray).
public protocol ContiguousBytes {
  func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytes where Element == UInt8 {}
extension ArraySlice: ContiguousBytes where Element == UInt8 {}
extension ContiguousArray: ContiguousBytes where Element == UInt8 {}
