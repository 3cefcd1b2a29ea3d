import MeshBytes

/// The `high-watermark` file of a partition: the end offset of the acknowledged data, so
/// that readers in other processes stop where the writer's acknowledgements stop (a
/// batch written but not yet synced under `fsync=batch` is not shown). Rewritten in place
/// after every append, never synced: it is a hint, and a missing or damaged one only
/// means that readers show every whole batch.
///
/// Layout (16 bytes, little-endian; NEVER REORDER FIELDS):
///
/// | offset | size | field     | meaning                              |
/// |-------:|-----:|-----------|--------------------------------------|
/// |      0 |    1 | version   | 1                                    |
/// |      1 |    3 | reserved  | 0                                    |
/// |      4 |    4 | crc       | CRC-32C of bytes 8..<16              |
/// |      8 |    8 | endOffset | Int64: the next offset to be assigned |
enum HighWatermark {
  static let fileName = "high-watermark"
  static let size = 16

  static func encode(_ end: Offset, into bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { raw in
      guard let base = raw.baseAddress, raw.count >= size else { return }
      base.storeBytes(of: UInt32(1), toByteOffset: 0, as: UInt32.self)
      RawBytes.putInt64(end.value, base, 8)
      RawBytes.putUInt32(CRC32C.checksum(UnsafeRawBufferPointer(start: base + 8, count: 8)), base, 4)
    }
  }

  static func read(io: any FileIO, path: String) -> Offset? {
    guard let bytes = try? io.readSmallFile(path, limit: 64), bytes.count == size, bytes[0] == 1 else { return nil }
    return bytes.withUnsafeBytes { raw -> Offset? in
      let crc = RawBytes.uint32(raw, 4)
      guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[8..<16])) == crc else { return nil }
      return Offset(RawBytes.int64(raw, 8))
    }
  }
}
