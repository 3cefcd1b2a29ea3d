/// The records of one verified batch in offset order, decoded in place: the innermost
/// loop of every reader. A value type with its state in locals, inlined into the
/// caller, so that a reader's loop keeps everything in registers; each field costs one
/// bounds check against what is left of its record, and wrapping arithmetic is used
/// only where those checks already bound the operands.
///
/// The views it returns point into the batch's memory (see `BatchView`).
public struct RecordCursor {
  @usableFromInline let base: UnsafeRawPointer?
  @usableFromInline let end: Int
  @usableFromInline var at: Int
  @usableFromInline var remaining: UInt32
  /// The smallest offset delta the next record may have (deltas grow strictly).
  @usableFromInline var smallestDelta: UInt64 = 0
  @usableFromInline let lastDelta: UInt64
  @usableFromInline let baseOffset: Int64
  @usableFromInline let firstTimestamp: Int64

  @inlinable
  init(_ batch: BatchView) {
    base = batch.bytes.baseAddress
    end = batch.bytes.count
    at = BatchFormat.headerSize
    remaining = batch.bytes.count >= BatchFormat.headerSize ? batch.header.recordCount : 0
    lastDelta = UInt64(batch.header.lastOffsetDelta)
    baseOffset = batch.header.baseOffset.value
    firstTimestamp = batch.header.firstTimestamp
  }

  /// The next record, nil after the last; throws when the batch's bytes do not decode
  /// (a checksummed batch from a buggy or hostile writer).
  @inlinable @inline(__always)
  public mutating func next() throws(RecordDecodingError) -> RecordView? {
    guard remaining > 0, let base else { return nil }
    remaining &-= 1
    if at &+ 16 <= end, let prefix = prefixFromOneLoad(base) ?? shortPrefix(base),
      let record = nextWithShortFields(base, prefix)
    {
      return record
    }
    // Through a copy: handing `self` to the call would keep the cursor in memory for
    // the whole of the caller's loop, where the fast path wants it in registers.
    var checked = self
    let record = try checked.nextChecked(base)
    self = checked
    return record
  }

  /// The fields of a record up to its key, read by a fast path: where the key starts,
  /// where the record ends, the two deltas and the key's length field.
  @usableFromInline
  struct ShortPrefix {
    @usableFromInline var keyAt: Int
    @usableFromInline var recordEnd: Int
    @usableFromInline var zigzag: UInt64
    @usableFromInline var offsetDelta: UInt64
    @usableFromInline var keyLength: UInt64

    @inlinable
    init(keyAt: Int, recordEnd: Int, zigzag: UInt64, offsetDelta: UInt64, keyLength: UInt64) {
      self.keyAt = keyAt
      self.recordEnd = recordEnd
      self.zigzag = zigzag
      self.offsetDelta = offsetDelta
      self.keyLength = keyLength
    }
  }

  /// The prefix of nearly every record in a batch of records under 16 KiB: timestamp
  /// delta and key length of one byte each, length and offset delta of one or two. One
  /// 8-byte load and a test or two of its high bits read all four (`meshc bench log`
  /// decodes a record in 4.0 ns instead of 4.9–5.0 through `shortPrefix`). Each of the
  /// four shapes has its own test and fixed shifts: shifting by the length's size instead
  /// cost more than the extra tests. Nil for any other shape. The caller knows that 16
  /// bytes are there.
  @inlinable @inline(__always)
  func prefixFromOneLoad(_ base: UnsafeRawPointer) -> ShortPrefix? {
    let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    let shortLength = at &+ 1 &+ Int(truncatingIfNeeded: word & 0x7F)
    let longLength = at &+ 2 &+ Int(truncatingIfNeeded: (word & 0x7F) | ((word >> 8) & 0x7F) << 7)
    // The high bits of the first bytes tell the shape: length, timestamp delta, offset
    // delta and key length, each ending at a byte whose high bit is clear.
    if word & 0x8080_8080 == 0 {
      return ShortPrefix(
        keyAt: at &+ 4, recordEnd: shortLength, zigzag: (word >> 8) & 0x7F, offsetDelta: (word >> 16) & 0x7F,
        keyLength: (word >> 24) & 0x7F)
    }
    if word & 0x80_8080_8080 == 0x80_0000 {
      return ShortPrefix(
        keyAt: at &+ 5, recordEnd: shortLength, zigzag: (word >> 8) & 0x7F,
        offsetDelta: (word >> 16) & 0x7F | ((word >> 24) & 0x7F) << 7, keyLength: (word >> 32) & 0x7F)
    }
    if word & 0x80_8080_8080 == 0x80 {
      return ShortPrefix(
        keyAt: at &+ 5, recordEnd: longLength, zigzag: (word >> 16) & 0x7F, offsetDelta: (word >> 24) & 0x7F,
        keyLength: (word >> 32) & 0x7F)
    }
    guard word & 0x8080_8080_8080 == 0x8000_0080 else { return nil }
    return ShortPrefix(
      keyAt: at &+ 6, recordEnd: longLength, zigzag: (word >> 16) & 0x7F,
      offsetDelta: (word >> 24) & 0x7F | ((word >> 32) & 0x7F) << 7, keyLength: (word >> 40) & 0x7F)
  }

  /// The prefix when each of its fields takes one or two bytes; nil for any other shape.
  /// The caller knows that 16 bytes are there, and the fields take at most eight.
  @inlinable @inline(__always)
  func shortPrefix(_ base: UnsafeRawPointer) -> ShortPrefix? {
    var position = at
    guard let length = RawBytes.shortVarint(base, &position) else { return nil }
    let recordEnd = position &+ Int(truncatingIfNeeded: length)
    guard let zigzag = RawBytes.shortVarint(base, &position), let offsetDelta = RawBytes.shortVarint(base, &position),
      let keyLength = RawBytes.shortVarint(base, &position)
    else { return nil }
    return ShortPrefix(
      keyAt: position, recordEnd: recordEnd, zigzag: zigzag, offsetDelta: offsetDelta, keyLength: keyLength)
  }

  /// The common case, with half the branches of `nextChecked`: a record with a short
  /// prefix, followed by at least 8 bytes of the batch, whose value length takes one or
  /// two bytes. Its reads need no bounds checks of their own — none reaches past the
  /// record's end by more than 8 bytes, which the batch holds — and one check at the end
  /// tells whether the fields stayed inside the record. Nil, with nothing changed, for
  /// any other record, well formed or not: `nextChecked` then decodes it or says what is
  /// wrong.
  @inlinable @inline(__always)
  mutating func nextWithShortFields(_ base: UnsafeRawPointer, _ prefix: ShortPrefix) -> RecordView? {
    let recordEnd = prefix.recordEnd
    guard recordEnd &+ 8 <= end else { return nil }
    var position = prefix.keyAt
    var key: UnsafeRawBufferPointer?
    if prefix.keyLength > 0 {
      let count = Int(truncatingIfNeeded: prefix.keyLength &- 1)
      guard count <= recordEnd &- position else { return nil }
      key = UnsafeRawBufferPointer(start: base + position, count: count)
      position &+= count
    }
    guard let valueLength = RawBytes.shortVarint(base, &position) else { return nil }
    var value: UnsafeRawBufferPointer?
    if valueLength > 0 {
      let count = Int(truncatingIfNeeded: valueLength &- 1)
      guard count <= recordEnd &- position else { return nil }
      value = UnsafeRawBufferPointer(start: base + position, count: count)
      position &+= count
    }
    let offsetDelta = prefix.offsetDelta
    guard position <= recordEnd, offsetDelta >= smallestDelta, offsetDelta <= lastDelta else { return nil }
    smallestDelta = offsetDelta &+ 1
    at = recordEnd
    return RecordView(
      offset: Offset(baseOffset &+ Int64(truncatingIfNeeded: offsetDelta)),
      timestamp: firstTimestamp &+ RawBytes.unZigZag(prefix.zigzag), key: key, value: value,
      headerBytes: UnsafeRawBufferPointer(start: base + position, count: recordEnd &- position))
  }

  /// Any record, every field checked against what is left of its record.
  @inlinable
  mutating func nextChecked(_ base: UnsafeRawPointer) throws(RecordDecodingError) -> RecordView? {
    guard let length = RawBytes.readVarint(base, &at, end), length <= UInt64(end &- at) else {
      throw .lengthPastBatch
    }
    let recordEnd = at &+ Int(truncatingIfNeeded: length)
    guard let zigzag = RawBytes.readVarint(base, &at, recordEnd),
      let offsetDelta = RawBytes.readVarint(base, &at, recordEnd),
      offsetDelta >= smallestDelta, offsetDelta <= lastDelta,
      let keyLength = RawBytes.readVarint(base, &at, recordEnd), keyLength <= UInt64(recordEnd &- at) &+ 1
    else { throw .fieldsPastRecord }
    smallestDelta = offsetDelta &+ 1
    var key: UnsafeRawBufferPointer?
    if keyLength > 0 {
      let count = Int(truncatingIfNeeded: keyLength &- 1)
      key = UnsafeRawBufferPointer(start: base + at, count: count)
      at &+= count
    }
    guard let valueLength = RawBytes.readVarint(base, &at, recordEnd), valueLength <= UInt64(recordEnd &- at) &+ 1
    else { throw .valuePastRecord }
    var value: UnsafeRawBufferPointer?
    if valueLength > 0 {
      let count = Int(truncatingIfNeeded: valueLength &- 1)
      value = UnsafeRawBufferPointer(start: base + at, count: count)
      at &+= count
    }
    // What is left is the headers, their count first; `RecordView.headers()` decodes
    // and checks them when asked.
    let headers = UnsafeRawBufferPointer(start: base + at, count: recordEnd &- at)
    at = recordEnd
    // offsetDelta ≤ lastOffsetDelta, and `BatchHeader.verify` checked that the base
    // offset plus lastOffsetDelta fits.
    return RecordView(
      offset: Offset(baseOffset &+ Int64(truncatingIfNeeded: offsetDelta)),
      timestamp: firstTimestamp &+ RawBytes.unZigZag(zigzag), key: key, value: value, headerBytes: headers)
  }
}
