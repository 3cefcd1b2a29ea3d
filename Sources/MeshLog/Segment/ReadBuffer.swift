/// The memory a scanner reads a segment through: a window of the file, refilled with
/// `read` as the scanner moves.
///
/// A refill reads at least `minimumRead` bytes (64 KiB by default), and a batch larger
/// than that exactly, plus `lookahead` bytes after it: the next batch's header comes
/// with it, so that in a segment of large batches every batch costs one read and no
/// copying, the buffer stays the size of a batch (in cache), and a refill never moves
/// more than one header's worth of bytes to the front. Small batches come many to a read.
///
/// With `readAheadAfter` set, a scanner that keeps moving forward has its refills read
/// ahead on a helper thread (`ReadAhead`) once that many bytes of the file lie before
/// its limit, and takes them without copying them again (copying only the part of a
/// large batch that `share` leaves to it) — as long as that is faster than reading
/// alone, which `ReadAheadChooser` keeps measuring (unless `choosing` is off; `share`
/// sets where the helper's part starts, for tests).
///
/// Reads, not a memory mapping: a mapped segment that someone truncates kills the
/// reading process with SIGBUS, while a short read is damage that the scanner reports.
/// Bytes it returns stay valid until the next call or `invalidate`. Not thread-safe;
/// each scanner owns one.
final class ReadBuffer {
  private var window: ReadAhead.Window
  private let minimumRead: Int
  private let lookahead: Int
  private let readAheadAfter: Int64?
  private var readAhead: ReadAhead?
  private var chooser: ReadAheadChooser?
  private let share: CopyShare
  /// Refills in a row that continued where the one before ended.
  private var forwardRefills = 0

  init(
    minimumRead: Int = 64 * 1024, lookahead: Int = BatchFormat.headerSize, readAheadAfter: Int64? = nil,
    choosing: Bool = true, share: CopyShare = CopyShare()
  ) {
    self.share = share
    self.minimumRead = max(minimumRead, 1)
    self.lookahead = lookahead
    self.readAheadAfter = readAheadAfter
    chooser = choosing ? ReadAheadChooser() : nil
    window = ReadAhead.Window(capacity: self.minimumRead + lookahead)
  }

  deinit {
    readAhead?.stop()
    window.free()
  }

  /// Forgets the loaded window (the file changed under it, or another file comes next).
  /// Call it before closing the file: the helper thread no longer touches it afterwards.
  func invalidate() {
    window.count = 0
    forwardRefills = 0
    readAhead?.detach()
  }

  /// `count` bytes at `position` (fewer only when the file is shorter than it claimed).
  /// Reads no byte at or past `limit`.
  func bytes(
    at position: Int64, count wanted: Int, limit: Int64, io: any FileIO, handle: IOHandle
  ) throws(FileIOError) -> UnsafeRawBufferPointer {
    let loadedEnd = window.start + Int64(window.count)
    if position >= window.start, position + Int64(wanted) <= loadedEnd {
      return UnsafeRawBufferPointer(start: window.base + Int(position - window.start), count: wanted)
    }
    let continues = position >= window.start && position <= loadedEnd && window.count > 0
    forwardRefills = continues ? forwardRefills + 1 : 0
    let readingAhead = (chooser?.way ?? .ahead) == .ahead
    if continues, readingAhead, let readAhead,
      let ahead = readAhead.take(at: position, count: wanted, limit: limit, handle: handle, giving: window)
    {
      window = ahead
      // The part of a large batch that the helper left to this reader (`CopyShare`).
      try window.load(upTo: window.planned, from: io, handle)
      measure()
      return UnsafeRawBufferPointer(start: window.base, count: min(wanted, window.count))
    }
    try refill(at: position, count: wanted, limit: limit, io: io, handle: handle)
    if let readAheadAfter, forwardRefills >= 2, limit - position >= readAheadAfter {
      if readingAhead {
        if readAhead == nil { readAhead = ReadAhead(minimumRead: minimumRead, lookahead: lookahead, share: share) }
        readAhead?.resume(
          io: io, handle: handle, after: UnsafeRawBufferPointer(start: window.base, count: window.count),
          from: window.start, limit: limit)
      }
      measure()
    }
    return UnsafeRawBufferPointer(start: window.base, count: min(wanted, window.count))
  }

  /// The helper's share of each read, once it reads ahead.
  var copyShare: CopyShare? { readAhead?.share }

  /// The smallest share the helper has had, in 64ths.
  var smallestCopyShare: Int? { readAhead?.smallestShare }

  /// Tells the chooser about a refill of a reader moving forward; stops reading ahead
  /// when it says so (the next refill that may read ahead starts it again).
  private func measure() {
    guard var chooser else { return }
    let before = chooser.way
    let after = chooser.refilled(bytes: window.count, at: MonotonicClock.nanoseconds())
    self.chooser = chooser
    if before == .ahead, after == .alone { readAhead?.detach() }
  }

  private func refill(
    at position: Int64, count wanted: Int, limit: Int64, io: any FileIO, handle: IOHandle
  ) throws(FileIOError) {
    // Bytes already loaded from `position` on (the start of a batch that did not fit)
    // move to the front instead of being read again.
    var kept = 0
    if position >= window.start, position < window.start + Int64(window.count) {
      kept = window.count - Int(position - window.start)
    }
    let toRead = Int(min(Int64(max(wanted + lookahead, minimumRead)), max(limit - position, Int64(wanted))))
    window.prepare(toHold: max(toRead, kept), usual: minimumRead + lookahead, keepingLast: kept)
    window.start = position
    try window.load(upTo: toRead, from: io, handle)
  }
}
