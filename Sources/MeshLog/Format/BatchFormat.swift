import MeshBytes

/// The on-disk layout of a record batch, the unit the log writes, checksums and recovers.
/// A segment file (`.log`) is nothing but batches back to back.
///
/// All integers are little-endian. NEVER REORDER OR RESIZE FIELDS: segments written by
/// earlier versions must stay readable. A new layout gets a new `version` value.
///
/// Batch header (44 bytes):
///
/// | offset | size | field           | meaning                                                   |
/// |-------:|-----:|-----------------|-----------------------------------------------------------|
/// |      0 |    4 | bodyLength      | UInt32: bytes after the `crc` field (batch size − 8)      |
/// |      4 |    4 | crc             | UInt32: CRC-32C (Castagnoli) of those `bodyLength` bytes  |
/// |      8 |    1 | version         | 1                                                         |
/// |      9 |    1 | attributes      | 0 (reserved: compression, transactions)                   |
/// |     10 |    2 | reserved        | 0                                                         |
/// |     12 |    8 | baseOffset      | Int64: offset of the first record                         |
/// |     20 |    4 | lastOffsetDelta | UInt32: last record's offset − baseOffset                 |
/// |     24 |    4 | recordCount     | UInt32: records in the batch (≥ 1)                        |
/// |     28 |    8 | firstTimestamp  | Int64: ms since the epoch of the first record             |
/// |     36 |    8 | maxTimestamp    | Int64: the largest record timestamp in the batch          |
/// |     44 |    … | records         | `recordCount` records, in offset order                    |
///
/// Each record (varint = unsigned LEB128; zig-zag = Avro's signed varint):
///
/// | field          | encoding                                             |
/// |----------------|------------------------------------------------------|
/// | length         | varint: bytes of the record after this field         |
/// | timestampDelta | zig-zag: timestamp − firstTimestamp                  |
/// | offsetDelta    | varint: offset − baseOffset (gaps after compaction)  |
/// | keyLength      | varint: key bytes + 1; 0 means no key                |
/// | key            | bytes                                                |
/// | valueLength    | varint: value bytes + 1; 0 means null (a tombstone)  |
/// | value          | bytes                                                |
/// | headerCount    | varint                                               |
/// | headers        | per header: varint name length, UTF-8 name, varint value length + 1 (0 = null), value |
///
/// The checksum covers everything after itself, so a torn or garbled batch (length,
/// offsets or records) fails it; the length comes first so a reader can skip to the
/// next batch without decoding records.
public enum BatchFormat {
  @usableFromInline static let headerSize = 44
  static let version: UInt8 = 1
  /// Bytes of the header that the checksum does not cover (`bodyLength` and `crc`).
  static let frameSize = 8
  /// The largest batch the log writes or accepts; larger lengths are damage.
  static let maxBatchBytes = 64 << 20
  /// The largest key plus value a record may have (what fits a batch with room for its framing).
  public static let maxRecordBytes = maxBatchBytes - 64 * 1024

  /// Encodes records from `start` on as one batch at the start of `buffer`, stopping
  /// before the first record that would make the batch larger than `limit` bytes (but
  /// always taking at least one). Records without a timestamp get `defaultTimestamp`.
  /// Returns the batch size and how many records it holds. One pass, no allocation.
  static func encode(
    _ records: UnsafeBufferPointer<Record>, from start: Int, baseOffset: Offset, defaultTimestamp: Int64,
    limit: Int, into buffer: WriteBuffer
  ) -> (size: Int, count: Int) {
    guard start < records.count else { return (0, 0) }
    let firstTimestamp = records[start].timestamp ?? defaultTimestamp
    var maxTimestamp = Int64.min
    var at = headerSize
    buffer.reserve(at + 64, keeping: 0)
    var index = start
    while index < records.count {
      let timestamp = records[index].timestamp ?? defaultTimestamp
      let next = encodeRecord(
        records, index, timestampDelta: timestamp &- firstTimestamp, offsetDelta: UInt64(index - start),
        into: buffer, at: at, limit: index == start ? .max : limit)
      guard let next else { break }
      at = next
      if timestamp > maxTimestamp { maxTimestamp = timestamp }
      index += 1
    }
    let count = UInt32(truncatingIfNeeded: index - start)
    writeHeader(
      into: buffer.base, size: at, baseOffset: baseOffset, lastOffsetDelta: count &- 1, recordCount: count,
      firstTimestamp: firstTimestamp, maxTimestamp: maxTimestamp)
    return (at, index - start)
  }

  /// Encodes all of `records` as one batch (the caller knows they fit); returns its size.
  static func encode(_ records: [Record], baseOffset: Offset, defaultTimestamp: Int64, into buffer: WriteBuffer) -> Int
  {
    records.withUnsafeBufferPointer { pointer in
      encode(pointer, from: 0, baseOffset: baseOffset, defaultTimestamp: defaultTimestamp, limit: .max, into: buffer)
        .size
    }
  }

  /// Encodes records that keep their own offsets and timestamps (compaction output).
  static func encode(_ records: [StoredRecord], into buffer: WriteBuffer) -> Int {
    guard let first = records.first, let last = records.last else { return 0 }
    var maxTimestamp = Int64.min
    var at = headerSize
    buffer.reserve(at + 64, keeping: 0)
    for stored in records {
      if stored.timestamp > maxTimestamp { maxTimestamp = stored.timestamp }
      let record = Record(key: stored.key, value: stored.value, headers: stored.headers)
      let next = withUnsafePointer(to: record) { pointer in
        encodeRecord(
          UnsafeBufferPointer(start: pointer, count: 1), 0, timestampDelta: stored.timestamp &- first.timestamp,
          offsetDelta: UInt64(stored.offset - first.offset), into: buffer, at: at, limit: .max)
      }
      at = next ?? at
    }
    writeHeader(
      into: buffer.base, size: at, baseOffset: first.offset,
      lastOffsetDelta: UInt32(truncatingIfNeeded: last.offset - first.offset),
      recordCount: UInt32(truncatingIfNeeded: records.count), firstTimestamp: first.timestamp,
      maxTimestamp: maxTimestamp)
    return at
  }

  /// The encoded size of a record, for the caller's size checks.
  static func encodedSize(of record: Record) -> Int {
    var body = 10 + 10  // timestamp and offset deltas at their widest
    body += RawBytes.varintSize(UInt64((record.key?.count ?? -1) + 1)) + (record.key?.count ?? 0)
    body += RawBytes.varintSize(UInt64((record.value?.count ?? -1) + 1)) + (record.value?.count ?? 0)
    body += RawBytes.varintSize(UInt64(record.headers.count))
    for header in record.headers {
      body += 10 + header.key.utf8.count + 10 + (header.value?.count ?? 0)
    }
    return RawBytes.varintSize(UInt64(body)) + body
  }

  /// Encodes `records[index]` at `start`; nil (and nothing written) when it would end
  /// past `limit`. Reads the record in place, without copying it.
  @inline(__always)
  private static func encodeRecord(
    _ records: UnsafeBufferPointer<Record>, _ index: Int, timestampDelta: Int64, offsetDelta: UInt64,
    into buffer: WriteBuffer, at start: Int, limit: Int
  ) -> Int? {
    let record = records.baseAddress.unsafelyUnwrapped + index
    let zigzag = RawBytes.zigZag(timestampDelta)
    let keyCount = record.pointee.key?.count ?? -1
    let valueCount = record.pointee.value?.count ?? -1
    let headerCount = record.pointee.headers.count
    var body = RawBytes.varintSize(zigzag) + RawBytes.varintSize(offsetDelta)
    body += RawBytes.varintSize(UInt64(keyCount + 1)) + max(keyCount, 0)
    body += RawBytes.varintSize(UInt64(valueCount + 1)) + max(valueCount, 0)
    body += RawBytes.varintSize(UInt64(headerCount))
    // Most records have no headers: no iterator (and its retain) for them.
    if headerCount > 0 {
      for header in record.pointee.headers {
        let nameCount = header.key.utf8.count
        let headerValueCount = header.value?.count ?? -1
        body += RawBytes.varintSize(UInt64(nameCount)) + nameCount
        body += RawBytes.varintSize(UInt64(headerValueCount + 1)) + max(headerValueCount, 0)
      }
    }
    let total = RawBytes.varintSize(UInt64(body)) + body
    if start + total > limit { return nil }
    buffer.reserve(start + total, keeping: start)
    let base = buffer.base
    var at = start
    RawBytes.putVarint(UInt64(body), base, &at)
    RawBytes.putVarint(zigzag, base, &at)
    RawBytes.putVarint(offsetDelta, base, &at)
    RawBytes.putVarint(UInt64(keyCount + 1), base, &at)
    if keyCount > 0 { record.pointee.key?.withUnsafeBytes { copy($0, base, &at) } }
    RawBytes.putVarint(UInt64(valueCount + 1), base, &at)
    if valueCount > 0 { record.pointee.value?.withUnsafeBytes { copy($0, base, &at) } }
    RawBytes.putVarint(UInt64(headerCount), base, &at)
    if headerCount > 0 { encodeHeaders(record.pointee.headers, base, &at) }
    return at
  }

  private static func encodeHeaders(_ headers: [RecordHeader], _ base: UnsafeMutableRawPointer, _ at: inout Int) {
    for header in headers {
      var name = header.key
      name.withUTF8 { utf8 in
        RawBytes.putVarint(UInt64(utf8.count), base, &at)
        if let source = utf8.baseAddress, utf8.count > 0 {
          (base + at).copyMemory(from: source, byteCount: utf8.count)
          at += utf8.count
        }
      }
      RawBytes.putVarint(UInt64((header.value?.count ?? -1) + 1), base, &at)
      header.value?.withUnsafeBytes { copy($0, base, &at) }
    }
  }

  @inline(__always)
  private static func copy(_ bytes: UnsafeRawBufferPointer, _ base: UnsafeMutableRawPointer, _ at: inout Int) {
    if let source = bytes.baseAddress, bytes.count > 0 { (base + at).copyMemory(from: source, byteCount: bytes.count) }
    at += bytes.count
  }

  private static func writeHeader(
    into base: UnsafeMutableRawPointer, size: Int, baseOffset: Offset, lastOffsetDelta: UInt32, recordCount: UInt32,
    firstTimestamp: Int64, maxTimestamp: Int64
  ) {
    RawBytes.putUInt32(UInt32(size - frameSize), base, 0)
    base.storeBytes(of: version, toByteOffset: 8, as: UInt8.self)
    base.storeBytes(of: 0, toByteOffset: 9, as: UInt8.self)
    base.storeBytes(of: 0, toByteOffset: 10, as: UInt16.self)
    RawBytes.putInt64(baseOffset.value, base, 12)
    RawBytes.putUInt32(lastOffsetDelta, base, 20)
    RawBytes.putUInt32(recordCount, base, 24)
    RawBytes.putInt64(firstTimestamp, base, 28)
    RawBytes.putInt64(maxTimestamp, base, 36)
    let crc = CRC32C.interleavedChecksum(UnsafeRawBufferPointer(start: base + frameSize, count: size - frameSize))
    RawBytes.putUInt32(crc, base, 4)
  }
}
