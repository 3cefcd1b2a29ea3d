import MeshBytes

/// The decoded header of one batch (layout in `BatchFormat`).
@usableFromInline
struct BatchHeader: Hashable, Sendable {
  /// Bytes of the whole batch, header included.
  @usableFromInline var size: Int
  var crc: UInt32
  var version: UInt8
  @usableFromInline var baseOffset: Offset
  @usableFromInline var lastOffsetDelta: UInt32
  @usableFromInline var recordCount: UInt32
  @usableFromInline var firstTimestamp: Int64
  @usableFromInline var maxTimestamp: Int64

  @usableFromInline var lastOffset: Offset { baseOffset + Int64(lastOffsetDelta) }
  @usableFromInline var nextOffset: Offset { baseOffset + Int64(lastOffsetDelta) + 1 }

  /// The first 8 bytes give the batch size; nil when they cannot (too short).
  static func size(framedBy bytes: UnsafeRawBufferPointer) -> Int? {
    guard bytes.count >= BatchFormat.frameSize, let base = bytes.baseAddress else { return nil }
    return Int(RawBytes.uint32(base, 0)) + BatchFormat.frameSize
  }

  /// Decodes a header from at least `BatchFormat.headerSize` bytes, without checking the
  /// checksum (see `verify`).
  init?(_ bytes: UnsafeRawBufferPointer) {
    guard bytes.count >= BatchFormat.headerSize, let base = bytes.baseAddress else { return nil }
    size = Int(RawBytes.uint32(base, 0)) + BatchFormat.frameSize
    crc = RawBytes.uint32(base, 4)
    version = base.load(fromByteOffset: 8, as: UInt8.self)
    baseOffset = Offset(RawBytes.int64(base, 12))
    lastOffsetDelta = RawBytes.uint32(base, 20)
    recordCount = RawBytes.uint32(base, 24)
    firstTimestamp = RawBytes.int64(base, 28)
    maxTimestamp = RawBytes.int64(base, 36)
  }

  /// Checks a whole batch (`bytes` holds exactly `size` bytes): checksum first, then the
  /// fields the checksum cannot vouch for the meaning of. Returns why it is damaged, or nil.
  func verify(_ bytes: UnsafeRawBufferPointer, expectedAtLeast: Offset) -> CorruptBatch.Reason? {
    guard bytes.count == size, let base = bytes.baseAddress else {
      return .truncated(needed: Int64(size), available: Int64(bytes.count))
    }
    let computed = CRC32C.interleavedChecksum(
      UnsafeRawBufferPointer(start: base + BatchFormat.frameSize, count: size - BatchFormat.frameSize))
    if computed != crc { return .checksumMismatch(stored: crc, computed: computed) }
    if version != BatchFormat.version { return .unsupportedVersion(version) }
    if recordCount == 0 || UInt64(lastOffsetDelta) + 1 < UInt64(recordCount) || baseOffset < expectedAtLeast
      || baseOffset.value > Int64.max - Int64(lastOffsetDelta) - 1
    {
      return .badOffsets(base: baseOffset, expectedAtLeast: expectedAtLeast)
    }
    return nil
  }

  /// A length that cannot belong to a batch: shorter than a header or longer than the limit.
  static func isPlausible(size: Int) -> Bool {
    size >= BatchFormat.headerSize && size <= BatchFormat.maxBatchBytes
  }
}
