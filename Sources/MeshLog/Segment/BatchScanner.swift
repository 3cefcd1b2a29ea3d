/// Reads the batches of one segment file in order through a `ReadBuffer`, verifying
/// each: the loop under recovery, index rebuilds, compaction and readers. It never reads
/// at or past `limit`.
///
/// Not thread-safe; each reader owns one.
final class BatchScanner {
  enum Step {
    /// A verified batch; `bytes` is valid until the next call.
    case batch(BatchHeader, UnsafeRawBufferPointer)
    /// No bytes left before `limit`.
    case end
    /// The batch at `position` is damaged; `size` is its length when that is plausible
    /// and the batch lies wholly before `limit`, so a caller may look past it.
    case damaged(CorruptBatch.Reason, size: Int?)
  }

  let io: any FileIO
  let handle: IOHandle
  var limit: Int64
  /// The position of the next batch.
  var position: Int64
  private let buffer: ReadBuffer

  init(io: any FileIO, handle: IOHandle, limit: Int64, position: Int64 = 0, buffer: ReadBuffer = ReadBuffer()) {
    self.io = io
    self.handle = handle
    self.limit = limit
    self.position = position
    self.buffer = buffer
  }

  /// The next batch; on `.batch` the position moves past it, otherwise it stays.
  func next(expectedAtLeast: Offset) throws(FileIOError) -> Step {
    let available = limit - position
    if available <= 0 { return .end }
    if available < Int64(BatchFormat.headerSize) {
      return .damaged(.truncated(needed: Int64(BatchFormat.headerSize), available: available), size: nil)
    }
    var frame = try buffer.bytes(at: position, count: BatchFormat.headerSize, limit: limit, io: io, handle: handle)
    guard let size = BatchHeader.size(framedBy: frame) else {
      return .damaged(.truncated(needed: Int64(BatchFormat.headerSize), available: available), size: nil)
    }
    guard BatchHeader.isPlausible(size: size) else { return .damaged(.badLength(Int64(size)), size: nil) }
    if Int64(size) > available {
      return .damaged(.truncated(needed: Int64(size), available: available), size: nil)
    }
    frame = try buffer.bytes(at: position, count: size, limit: limit, io: io, handle: handle)
    guard frame.count == size, let header = BatchHeader(frame) else {
      return .damaged(.truncated(needed: Int64(size), available: Int64(frame.count)), size: nil)
    }
    if let reason = header.verify(frame, expectedAtLeast: expectedAtLeast) { return .damaged(reason, size: size) }
    position += Int64(size)
    return .batch(header, frame)
  }

  /// Whether a valid batch starts at `position` (used to tell damage in the middle of a
  /// segment from a torn tail). Leaves the scanner where it was.
  func validBatch(at candidate: Int64, expectedAtLeast: Offset) -> Bool {
    peekBatch(at: candidate, expectedAtLeast: expectedAtLeast) != nil
  }

  /// The header of the valid batch at `candidate`, if there is one. Leaves the scanner
  /// where it was.
  func peekBatch(at candidate: Int64, expectedAtLeast: Offset) -> BatchHeader? {
    let saved = position
    defer { position = saved }
    position = candidate
    if case .batch(let header, _) = (try? next(expectedAtLeast: expectedAtLeast)) ?? .end { return header }
    return nil
  }
}
