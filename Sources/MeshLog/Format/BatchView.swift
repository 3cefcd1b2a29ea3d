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
  let headerBytes: UnsafeRawBufferPointer
  let headerCount: Int

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
}

/// A verified batch in the reader's buffer. Valid only during the callback that received it.
public struct BatchView {
  let header: BatchHeader
  /// The whole batch, header included.
  let bytes: UnsafeRawBufferPointer

  public var baseOffset: Offset { header.baseOffset }
  public var lastOffset: Offset { header.lastOffset }
  public var recordCount: Int { Int(header.recordCount) }
  public var maxTimestamp: Int64 { header.maxTimestamp }
  public var sizeInBytes: Int { header.size }

  /// Calls `body` for each record in offset order; stops early when `body` returns false.
  /// Throws when a record does not decode.
  @inline(__always)
  public func forEachRecord(_ body: (RecordView) throws -> Bool) throws {
    guard let base = bytes.baseAddress else { return }
    let end = bytes.count
    var at = BatchFormat.headerSize
    var previousDelta: Int64 = -1
    for _ in 0..<header.recordCount {
      guard let length = RawBytes.readVarint(base, &at, end), length <= UInt64(end - at) else {
        throw RecordDecodingError("record length runs past the batch")
      }
      let recordEnd = at + Int(length)
      guard let zigzag = RawBytes.readVarint(base, &at, recordEnd),
        let offsetDelta = RawBytes.readVarint(base, &at, recordEnd),
        offsetDelta <= UInt64(header.lastOffsetDelta), Int64(offsetDelta) > previousDelta,
        let keyLength = RawBytes.readVarint(base, &at, recordEnd), keyLength <= UInt64(recordEnd - at) + 1
      else { throw RecordDecodingError("record fields run past the record or offsets go backwards") }
      previousDelta = Int64(offsetDelta)
      var key: UnsafeRawBufferPointer?
      if keyLength > 0 {
        key = UnsafeRawBufferPointer(start: base + at, count: Int(keyLength - 1))
        at += Int(keyLength - 1)
      }
      guard let valueLength = RawBytes.readVarint(base, &at, recordEnd), valueLength <= UInt64(recordEnd - at) + 1
      else { throw RecordDecodingError("record value runs past the record") }
      var value: UnsafeRawBufferPointer?
      if valueLength > 0 {
        value = UnsafeRawBufferPointer(start: base + at, count: Int(valueLength - 1))
        at += Int(valueLength - 1)
      }
      guard let headerCount = RawBytes.readVarint(base, &at, recordEnd), headerCount <= UInt64(recordEnd - at)
      else { throw RecordDecodingError("record headers run past the record") }
      let view = RecordView(
        offset: header.baseOffset + Int64(offsetDelta),
        timestamp: header.firstTimestamp &+ RawBytes.unZigZag(zigzag), key: key, value: value,
        headerBytes: UnsafeRawBufferPointer(start: base + at, count: recordEnd - at), headerCount: Int(headerCount))
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
