/// One record inside a batch, viewed in place: the buffers point into the reader's
/// memory and are valid only during the callback that received them.
public struct RecordView {
  public let offset: Offset
  public let timestamp: Int64
  /// Nil when the record has no key.
  public let key: UnsafeRawBufferPointer?
  /// Nil for a tombstone.
  public let value: UnsafeRawBufferPointer?
  /// The encoded headers (count, then name/value pairs), decoded only on demand by
  /// `headers()`: most readers never look, and the count sits at the far end of the
  /// record, where reading it would stall the decoding loop on every record.
  @usableFromInline let headerBytes: UnsafeRawBufferPointer

  @inlinable
  init(
    offset: Offset, timestamp: Int64, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
    headerBytes: UnsafeRawBufferPointer
  ) {
    self.offset = offset
    self.timestamp = timestamp
    self.key = key
    self.value = value
    self.headerBytes = headerBytes
  }

  /// Copies the record out of the batch.
  public func stored() throws(RecordDecodingError) -> StoredRecord {
    StoredRecord(
      offset: offset, timestamp: timestamp, key: key.map { Array($0) }, value: value.map { Array($0) },
      headers: try headers())
  }

  public func headers() throws(RecordDecodingError) -> [RecordHeader] {
    guard let base = headerBytes.baseAddress else { throw .headersPastRecord }
    var at = 0
    let end = headerBytes.count
    // Each header takes at least two bytes, which bounds the count before it sizes anything.
    guard let count = RawBytes.readVarint(base, &at, end), count <= UInt64(end - at) / 2 else {
      throw .headersPastRecord
    }
    guard count > 0 else { return [] }
    var headers: [RecordHeader] = []
    headers.reserveCapacity(Int(count))
    for _ in 0..<count {
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

  /// The records in offset order, decoded in place.
  @inlinable
  public var records: RecordCursor { RecordCursor(self) }

  /// Calls `body` for each record in offset order; stops early when `body` returns false.
  /// Throws when a record does not decode.
  @inlinable
  public func forEachRecord(_ body: (RecordView) throws -> Bool) throws {
    var cursor = records
    while let record = try cursor.next() {
      if try !body(record) { return }
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
