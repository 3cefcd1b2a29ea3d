import CCRC32C

extension CRC32C {
  /// The same checksum as `checksum(_:continuing:)`, computed as three interleaved
  /// streams of the CRC instruction (about three times faster on inputs of a few KiB and
  /// more): what the log uses for its batches, whose checksums sit on the append and read
  /// paths.
  @inlinable
  public static func interleavedChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
    meshc_crc32c_interleaved(crc, bytes.baseAddress, bytes.count)
  }
}
