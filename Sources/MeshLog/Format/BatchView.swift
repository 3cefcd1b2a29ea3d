/// One record inside a batch, viewed in place: the buffers point into the reader's
/// memory and are valid only during the callback that received them.
public struct RecordView {
  public let offset: Offset
  public let timestamp: Int64
  /// Nil when the record has no key.
  public let key: UnsafeRawBufferPointer?
  /// Nil for a tombstone.
  public let value: UnsafeRawBufferPointer?
  /// The encoded headers (count, then name/value pairs); decode with `headers()`.
  @usableFromInline let headerBytes: UnsafeRawBufferPointer
  @usableFromInline let headerCount: Int

  @inlinable
  init(
    offset: Offset, timestamp: Int64, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
    headerBytes: UnsafeRawBufferPointer, headerCount: Int
  ) {
    self.offset = offset
    self.timestamp = timestamp
    self.key = key
    self.value = value
    self.headerBytes = headerBytes
    self.headerCount = headerCount
  }

  public var hasHeaders: Bool { headerCount > 0 }

  /// Copies the record out of the batch.
  public func stored() throws(RecordDecodingError) -> StoredRecord {
    StoredRecord(
      offset: offset, timestamp: timestamp, key: key.map { Array($0) }, value: value.map { Array($0) },
      headers: try headers())
  }

  public func headers() throws(RecordDecodingError) -> [RecordHeader] {
    guard headerCount > 0, let base = headerBytes.baseAddress else { return [] }
    var headers: [RecordHeader] = []
    headers.reserveCapacity(headerCount)
    var at = 0
    let end = headerBytes.count
    for _ in 0..<headerCount {
      guard let nameLength = RawBytes.readVarint(base, &at, end), nameLength <= UInt64(end - at) else {
        throw RecordDecodingError("header name runs past the record")
      }
      let name = String(decoding: UnsafeRawBufferPointer(start: base + at, count: Int(nameLength)), as: UTF8.self)
      at += Int(nameLength)
      guard let valueLength = RawBytes.readVarint(base, &at, end), valueLength <= UInt64(end - at) + 1 else {
        throw RecordDecodingError("header value runs past the record")
      }
      var value: [UInt8]?
      if valueLength > 0 {
        value = Array(UnsafeRawBufferPointer(start: base + at, count: Int(valueLength - 1)))
        at += Int(valueLength - 1)
      }
      headers.append(RecordHeader(key: name, value: value))
    }
    return headers
  }
}

/// Why a record of a checksummed batch does not decode (the batch was written by a
/// buggy or hostile writer, since the checksum matched).
public struct RecordDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }

  @usableFromInline static let lengthPastBatch = RecordDecodingError("record length runs past the batch")
  @usableFromInline static let fieldsPastRecord = RecordDecodingError(
    "record fields run past the record or offsets go backwards")
  @usableFromInline static let valuePastRecord = RecordDecodingError("record value runs past the record")
  @usableFromInline static let headersPastRecord = RecordDecodingError("record headers run past the record")
}

/// A verified batch in the reader's buffer. Valid only during the callback that received it.
public struct BatchView {
  @usableFromInline let header: BatchHeader
  /// The whole batch, header included.
  @usableFromInline let bytes: UnsafeRawBufferPointer

  @usableFromInline
  init(header: BatchHeader, bytes: UnsafeRawBufferPointer) {
    self.header = header
    self.bytes = bytes
  }

  public var baseOffset: Offset { header.baseOffset }
  public var lastOffset: Offset { header.lastOffset }
  public var recordCount: Int { Int(header.recordCount) }
  public var maxTimestamp: Int64 { header.maxTimestamp }
  public var sizeInBytes: Int { header.size }

  /// Calls `body` for each record in offset order; stops early when `body` returns false.
  /// Throws when a record does not decode.
  ///
  /// The innermost loop of every reader, inlined into the caller so that `body` is too:
  /// one bounds check per field, lengths compared against what is left of the record,
  /// and wrapping arithmetic only where those checks already bound the operands.
  @inlinable @inline(__always)
  public func forEachRecord(_ body: (RecordView) throws -> Bool) throws {
    guard let base = bytes.baseAddress else { return }
    let end = bytes.count
    let lastDelta = UInt64(header.lastOffsetDelta)
    let baseOffset = header.baseOffset
    let firstTimestamp = header.firstTimestamp
    var at = BatchFormat.headerSize
    var smallestDelta: UInt64 = 0
    var remaining = header.recordCount
    while remaining > 0 {
      remaining &-= 1
      guard let length = RawBytes.readVarint(base, &at, end), length <= UInt64(end &- at) else {
        throw RecordDecodingError.lengthPastBatch
      }
      let recordEnd = at &+ Int(truncatingIfNeeded: length)
      guard let zigzag = RawBytes.readVarint(base, &at, recordEnd),
        let offsetDelta = RawBytes.readVarint(base, &at, recordEnd),
        offsetDelta >= smallestDelta, offsetDelta <= lastDelta,
        let keyLength = RawBytes.readVarint(base, &at, recordEnd), keyLength <= UInt64(recordEnd &- at) &+ 1
      else { throw RecordDecodingError.fieldsPastRecord }
      smallestDelta = offsetDelta &+ 1
      var key: UnsafeRawBufferPointer?
      if keyLength > 0 {
        let count = Int(truncatingIfNeeded: keyLength &- 1)
        key = UnsafeRawBufferPointer(start: base + at, count: count)
        at &+= count
      }
      guard let valueLength = RawBytes.readVarint(base, &at, recordEnd), valueLength <= UInt64(recordEnd &- at) &+ 1
      else { throw RecordDecodingError.valuePastRecord }
      var value: UnsafeRawBufferPointer?
      if valueLength > 0 {
        let count = Int(truncatingIfNeeded: valueLength &- 1)
        value = UnsafeRawBufferPointer(start: base + at, count: count)
        at &+= count
      }
      guard let headerCount = RawBytes.readVarint(base, &at, recordEnd), headerCount <= UInt64(recordEnd &- at) else {
        throw RecordDecodingError.headersPastRecord
      }
      // offsetDelta ≤ lastOffsetDelta, and verify() checked that base + lastOffsetDelta fits.
      let view = RecordView(
        offset: Offset(baseOffset.value &+ Int64(truncatingIfNeeded: offsetDelta)),
        timestamp: firstTimestamp &+ RawBytes.unZigZag(zigzag), key: key, value: value,
        headerBytes: UnsafeRawBufferPointer(start: base + at, count: recordEnd &- at),
        headerCount: Int(truncatingIfNeeded: headerCount))
      at = recordEnd
      if try !body(view) { return }
    }
  }

  /// Copies every record with an offset at or after `from` out of the batch.
  public func records(from: Offset = Offset(Int64.min)) throws -> [StoredRecord] {
    var result: [StoredRecord] = []
    result.reserveCapacity(recordCount)
    try forEachRecord { record in
      if record.offset >= from { result.append(try record.stored()) }
      return true
    }
    return result
  }
}
