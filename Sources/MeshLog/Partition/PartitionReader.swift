/// A cursor over one partition: reads committed records in offset order from any
/// offset or timestamp, across segments, verifying every batch's checksum.
///
/// It works from a snapshot and takes a fresh one only when it runs out of data, so a
/// reader never sees an unacknowledged batch. It holds the segment file it is reading
/// open, so retention or compaction removing that file does not disturb it: it finishes
/// the old file, then continues with whatever segments come next.
///
/// Not thread-safe: one reader per thread (make as many as you like). Blocking.
public final class PartitionReader {
  public let partition: Partition
  private var snapshot: PartitionSnapshot
  /// The next offset to return.
  public private(set) var position: Offset
  private var current: OpenSegment?
  private let buffer: ReadBuffer
  /// When true the reader steps over damaged batches and lost records instead of
  /// stopping at them, and says what it stepped over in `skipped`.
  public var skipsDamage = false
  /// What the reader stepped over (with `skipsDamage`), oldest first; callers report it
  /// and may empty it.
  public var skipped: [String] = []
  /// Steps over lost records only (compaction: what is gone holds no key's latest record
  /// that it could keep).
  var skipsLost = false

  /// The segment being read: its descriptor and scanner.
  private struct OpenSegment {
    let baseOffset: Offset
    let path: String
    let handle: IOHandle
    let scanner: BatchScanner
    /// The next offset the scanner expects a batch at or after.
    var expected: Offset
    var isActive: Bool
  }

  /// How a reader reads its segments (see `ReadBuffer`).
  struct Reading: Sendable {
    var minimumRead: Int
    /// A reader moving forward with this much of a segment before it reads it ahead on a
    /// helper thread (`ReadAhead`); nil never.
    var readAheadAfter: Int64?

    /// 64 KiB refills; reading ahead once 2 MiB lie ahead, enough that the thread pays
    /// for itself many times over, and more than `consume --max` and most tests read.
    static let standard = Reading(minimumRead: 64 * 1024, readAheadAfter: 2 << 20)
  }

  init(partition: Partition, snapshot: PartitionSnapshot, offset: Offset, reading: Reading = .standard) {
    self.partition = partition
    self.snapshot = snapshot
    self.position = offset
    self.buffer = ReadBuffer(minimumRead: reading.minimumRead, readAheadAfter: reading.readAheadAfter)
  }

  deinit { closeSegment() }

  private var io: any FileIO { partition.io }

  /// The end offset as this reader last saw it.
  public var endOffset: Offset { snapshot.endOffset }

  /// Moves to `offset`, which must lie in `startOffset...endOffset` (after a refresh).
  public func seek(to offset: Offset) throws(LogError) {
    refreshSnapshot()
    guard offset >= snapshot.startOffset, offset <= snapshot.endOffset else {
      throw .offsetOutOfRange(
        topic: partition.topic, partition: partition.id, offset: offset, start: snapshot.startOffset,
        end: snapshot.endOffset)
    }
    closeSegment()
    position = offset
  }

  /// Moves to the first record whose timestamp is ≥ `timestamp` (in offset order), or
  /// to the end when there is none.
  public func seek(toTimestamp timestamp: Int64) throws(LogError) {
    refreshSnapshot()
    closeSegment()
    var index = snapshot.segmentIndex(forTimestamp: timestamp)
    while index < snapshot.segmentCount {
      let segment = snapshot.segment(at: index)
      let point = segment.index.floor(timestamp: timestamp, logBytes: segment.committedBytes)
      try open(segment, at: point)
      position = point.offset
      var found: Offset?
      try scanRecords(stayingIn: segment.baseOffset) { record in
        guard record.timestamp >= timestamp else { return .next }
        found = record.offset
        return .refuse
      }
      if let found {
        closeSegment()
        position = found
        return
      }
      index += 1
    }
    closeSegment()
    position = snapshot.endOffset
  }

  /// Up to `maxRecords` records from the current position, copied out; empty when the
  /// reader has caught up with the committed end.
  public func read(maxRecords: Int = 500) throws(LogError) -> [StoredRecord] {
    var records: [StoredRecord] = []
    guard maxRecords > 0 else { return records }
    var decodingFailure: RecordDecodingError?
    do throws(LogError) {
      try forEachRecord(maxRecords: maxRecords) { record in
        do throws(RecordDecodingError) {
          records.append(try record.stored())
          return true
        } catch {
          decodingFailure = error
          return false
        }
      }
    } catch {
      // The records before the damage are returned; the next read stops at it.
      if records.isEmpty { throw error }
      return records
    }
    if let decodingFailure { throw corrupt(.malformedRecord(decodingFailure.description), at: 0) }
    return records
  }

  /// Calls `body` with up to `maxRecords` records in place (no copies; the views are
  /// valid only during the call); stops early when `body` returns false. Returns how
  /// many records `body` saw. The zero-copy path of bulk readers: inlined into the
  /// caller, so that dispatch happens per batch and `body` runs inside the decoding loop.
  /// Always inlined: left to itself the compiler specializes it for each closure
  /// instead, and the caller's counters then live in memory, updated once a record.
  @inlinable @inline(__always) @discardableResult
  public func forEachRecord(maxRecords: Int = .max, _ body: (RecordView) throws -> Bool) throws(LogError) -> Int {
    var seen = 0
    while seen < maxRecords {
      guard let batch = try nextBatchForRecords() else { break }
      var records = batch.view.records
      var cursor = position
      var stopped = false
      var failure: (any Error)?
      do {
        while let record = try records.next() {
          if record.offset < cursor { continue }
          seen &+= 1
          let more = try body(record)
          cursor = record.offset + 1
          if !more || seen >= maxRecords {
            stopped = true
            break
          }
        }
      } catch {
        failure = error
      }
      try finish(batch, readUpTo: cursor, exhausted: !stopped, failure: failure)
      if stopped { break }
    }
    return seen
  }

  /// A verified batch handed to `forEachRecord`, with where it starts in its segment.
  @usableFromInline
  struct PendingBatch {
    @usableFromInline let view: BatchView
    let start: Int64
  }

  @usableFromInline
  func nextBatchForRecords() throws(LogError) -> PendingBatch? {
    guard let (header, bytes, start) = try nextBatch(stayingIn: nil) else { return nil }
    return PendingBatch(view: BatchView(header: header, bytes: bytes), start: start)
  }

  /// Moves the position after `forEachRecord` read `batch` up to `cursor`: past the
  /// batch when all of it was read (`exhausted`: its records ran out, which with the
  /// offset gaps of a compacted batch can be before its last offset), otherwise back to
  /// its start, to be read again from `cursor` next time. A record that does not decode
  /// is reported as damage.
  @usableFromInline
  func finish(_ batch: PendingBatch, readUpTo cursor: Offset, exhausted: Bool, failure: (any Error)?) throws(LogError) {
    position = cursor
    let header = batch.view.header
    if let failure {
      rewind(to: batch.start, header)
      if let decoding = failure as? RecordDecodingError {
        throw corrupt(.malformedRecord(decoding.description), at: batch.start)
      }
      throw LogError.wrap(failure)
    }
    if exhausted || position > header.lastOffset {
      position = max(position, header.nextOffset)
    } else {
      rewind(to: batch.start, header)
    }
  }

  /// Calls `body` with each verified batch holding records at or after the position, in
  /// place (valid only during the call), until it returns false or the committed data
  /// ends; the position moves past each batch. For bulk consumers that copy or forward
  /// whole batches (the first may start before the position: filter with
  /// `BatchView.records(from:)`). Returns how many batches `body` saw.
  @discardableResult
  public func forEachBatch(_ body: (BatchView) throws -> Bool) throws(LogError) -> Int {
    var count = 0
    while let (header, bytes, _) = try nextBatch(stayingIn: nil) {
      count += 1
      position = max(position, header.nextOffset)
      let more: Bool
      do {
        more = try body(BatchView(header: header, bytes: bytes))
      } catch {
        throw LogError.wrap(error)
      }
      if !more { break }
    }
    return count
  }

  /// Blocks until records past the current position are committed or `milliseconds`
  /// pass; returns whether there are some. Woken by the writer in this process; checks
  /// the disk every 100 ms when another process writes.
  public func waitForData(milliseconds: Int64) -> Bool {
    let end = partition.waitForData(beyond: position, milliseconds: milliseconds)
    return end > position
  }

  /// What `scanRecords`'s callback wants after a record.
  private enum Verdict {
    /// Consumed; go on.
    case next
    /// Consumed; stop here.
    case stop
    /// Not consumed: stop, and leave the position at this record.
    case refuse
  }

  /// Feeds records at or after `position` to `body` batch by batch until it stops, the
  /// committed data ends, or (with `stayingIn`) the segment ends.
  private func scanRecords(stayingIn onlySegment: Offset?, _ body: (RecordView) throws -> Verdict) throws(LogError) {
    var stopping = false
    while !stopping {
      guard let (header, bytes, start) = try nextBatch(stayingIn: onlySegment) else { return }
      let view = BatchView(header: header, bytes: bytes)
      var stoppedAt: Offset?
      var exhausted = true
      do {
        try view.forEachRecord { record in
          if record.offset < position { return true }
          switch try body(record) {
          case .next:
            position = record.offset + 1
            return true
          case .stop:
            position = record.offset + 1
            stopping = true
            exhausted = false
            return false
          case .refuse:
            stoppedAt = record.offset
            exhausted = false
            return false
          }
        }
      } catch let error as RecordDecodingError {
        rewind(to: start, header)
        throw corrupt(.malformedRecord(error.description), at: start)
      } catch let error as LogError {
        rewind(to: start, header)
        throw error
      } catch {
        rewind(to: start, header)
        throw LogError.wrap(error)
      }
      if let stoppedAt {
        // Leave the batch to be read again from the record that was refused.
        position = stoppedAt
        rewind(to: start, header)
        return
      }
      if exhausted || position > header.lastOffset {
        // Every record was read; a compacted batch may end in a gap before its last offset.
        position = max(position, header.nextOffset)
      } else {
        // Stopped inside the batch: read it again next time, from `position`.
        rewind(to: start, header)
      }
    }
  }

  /// Puts the scanner back at the start of the batch `header` describes.
  private func rewind(to start: Int64, _ header: BatchHeader) {
    current?.scanner.position = start
    current?.expected = header.baseOffset
  }

  /// The next verified batch that holds offsets ≥ `position`, with its start position.
  private func nextBatch(
    stayingIn onlySegment: Offset?
  ) throws(LogError) -> (BatchHeader, UnsafeRawBufferPointer, Int64)? {
    while true {
      if current == nil {
        guard position < snapshot.endOffset || refreshSnapshot() else {
          try stepOverLost(before: Offset(Int64.max))
          return nil
        }
        if position < snapshot.startOffset { position = snapshot.startOffset }
        var segment = snapshot.segment(at: snapshot.segmentIndex(for: position))
        if position < segment.baseOffset {
          try stepOverLost(before: segment.baseOffset)
          segment = snapshot.segment(at: snapshot.segmentIndex(for: position))
        }
        try open(segment, at: segment.index.floor(offset: position, logBytes: segment.committedBytes))
        if current == nil { continue }
      }
      guard var open = current else { return nil }
      let start = open.scanner.position
      let step: BatchScanner.Step
      do {
        step = try open.scanner.next(expectedAtLeast: open.expected)
      } catch {
        throw .io(error)
      }
      switch step {
      case .batch(let header, let bytes):
        open.expected = header.nextOffset
        current = open
        if header.lastOffset < position { continue }
        return (header, bytes, start)
      case .damaged(let reason, let size):
        // A damaged batch wholly before the wanted offset can be stepped over when a
        // valid batch follows it that starts at or before that offset.
        if let size, let following = open.scanner.peekBatch(at: start + Int64(size), expectedAtLeast: open.expected),
          following.baseOffset <= position
        {
          open.scanner.position = start + Int64(size)
          current = open
          continue
        }
        let damage = corrupt(reason, at: start, offset: max(position, open.expected))
        guard skipsDamage else { throw damage }
        skipped.append(damage.description)
        if let size {
          open.scanner.position = start + Int64(size)
          current = open
          continue
        }
        // The batch's length is damaged too: nothing more of this segment can be found.
        closeSegment()
        let next = snapshot.segments.first { $0.baseOffset > open.baseOffset }
        position = max(position, next?.baseOffset ?? snapshot.endOffset)
        if next == nil { return nil }
      case .end:
        if let onlySegment, onlySegment == open.baseOffset { return nil }
        if try advance(from: open) { continue }
        try stepOverLost(before: Offset(Int64.max))
        return nil
      }
    }
  }

  /// At the end of the open segment: grow it (active and more committed), or move to
  /// the next segment. Returns false when the reader has caught up.
  private func advance(from open: OpenSegment) throws(LogError) -> Bool {
    if open.isActive {
      refreshSnapshot()
      guard let now = snapshot.segments.first(where: { $0.baseOffset == open.baseOffset }) else {
        closeSegment()
        return position < snapshot.endOffset
      }
      if now.isActive {
        if now.committedBytes > open.scanner.limit {
          open.scanner.limit = now.committedBytes
          return true
        }
        position = max(position, snapshot.endOffset)
        return false
      }
      // It rolled: read it to its end as a closed segment.
      current?.isActive = false
      do {
        open.scanner.limit = try io.size(open.handle)
      } catch {
        throw .io(error)
      }
      if open.scanner.position < open.scanner.limit { return true }
    }
    guard let next = snapshot.segments.first(where: { $0.baseOffset > open.baseOffset }) else {
      closeSegment()
      refreshSnapshot()
      if let later = snapshot.segments.first(where: { $0.baseOffset > open.baseOffset }) {
        try stepOverLost(before: later.baseOffset)
        try self.open(later, at: IndexPoint(offset: later.baseOffset, position: 0))
        return true
      }
      position = max(position, snapshot.endOffset)
      return false
    }
    try stepOverLost(before: next.baseOffset)
    if position < next.baseOffset { position = next.baseOffset }
    try self.open(next, at: next.index.floor(offset: position, logBytes: next.committedBytes))
    return true
  }

  /// Lost records from the position up to `limit` (where the next segment starts): an
  /// error, or stepped over with `skipsDamage`.
  private func stepOverLost(before limit: Offset) throws(LogError) {
    while let lost = snapshot.lost(from: position, before: limit) {
      guard skipsDamage || skipsLost else { throw .missingRecords(lost) }
      skipped.append(lost.description)
      position = max(position, lost.offsets.upperBound)
    }
  }

  @discardableResult
  private func refreshSnapshot() -> Bool {
    if !partition.isWritable { partition.refresh() }
    let before = snapshot.endOffset
    snapshot = partition.snapshot()
    return snapshot.endOffset > before || position < snapshot.endOffset
  }

  /// Opens a segment for reading. When its file is gone (retention or compaction removed
  /// it after this reader's snapshot was taken), takes a fresh snapshot and leaves
  /// `current` nil so that the caller looks again; a file missing from a fresh snapshot
  /// too is an error.
  private func open(_ segment: SegmentSnapshot, at point: IndexPoint) throws(LogError) {
    closeSegment()
    let handle: IOHandle
    do {
      handle = try io.open(segment.logPath, .readOnly)
    } catch {
      if error.isNotFound, segment.isActive, segment.committedBytes == 0 {
        // An active segment that holds nothing and whose file is gone (a lost tail
        // waiting for repair): nothing to read; the caller sees the end.
        position = max(position, segment.baseOffset)
        return
      }
      let stale = snapshot.segments.contains { $0.baseOffset == segment.baseOffset }
      refreshSnapshot()
      if error.isNotFound, stale, !snapshot.segments.contains(where: { $0.baseOffset == segment.baseOffset }) {
        return
      }
      throw .io(error)
    }
    var limit = segment.committedBytes
    if !segment.isActive {
      // Closed segments may have been replaced by a compacted copy: read the file we got
      // to its end, and trust the index only if it was made for a file of that size.
      limit = (try? io.size(handle)) ?? segment.committedBytes
    }
    var start = point
    if start.position >= limit || (limit != segment.committedBytes && !segment.isActive) {
      start = IndexPoint(offset: segment.baseOffset, position: 0)
      if limit != segment.committedBytes {
        start = segment.index.floor(offset: position, logBytes: limit)
      }
    }
    buffer.invalidate()
    current = OpenSegment(
      baseOffset: segment.baseOffset, path: segment.logPath, handle: handle,
      scanner: BatchScanner(io: io, handle: handle, limit: limit, position: start.position, buffer: buffer),
      expected: start.offset, isActive: segment.isActive)
  }

  private func closeSegment() {
    // The read-ahead thread lets go of the descriptor before it closes (and may be reused).
    buffer.invalidate()
    if let current { io.close(current.handle) }
    current = nil
  }

  private func corrupt(_ reason: CorruptBatch.Reason, at start: Int64, offset: Offset? = nil) -> LogError {
    .corruptBatch(
      CorruptBatch(
        topic: partition.topic, partition: partition.id, segment: current?.path ?? "", offset: offset ?? position,
        position: start, reason: reason))
  }
}
