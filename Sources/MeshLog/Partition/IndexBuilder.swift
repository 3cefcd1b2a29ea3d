/// The rule that decides where sparse index entries go, shared by the writer and by
/// every rebuild so that a rebuilt index equals the one the writer made: a batch gets an
/// entry when at least `interval` bytes of log precede it since the previous entry.
struct IndexBuilder {
  let interval: Int
  var bytesSinceEntry: Int
  /// The largest timestamp seen so far in the segment.
  var maxTimestamp: Int64

  init(interval: Int, bytesSinceEntry: Int = 0, maxTimestamp: Int64 = .min) {
    self.interval = interval
    self.bytesSinceEntry = bytesSinceEntry
    self.maxTimestamp = maxTimestamp
  }

  /// Records a batch about to sit at `position`; adds its entry to `index` when due.
  @inline(__always)
  mutating func add(_ header: BatchHeader, at position: Int64, to index: MemoryIndex) {
    if position > 0, bytesSinceEntry >= interval {
      index.append(offset: header.baseOffset, position: position, maxTimestampBefore: maxTimestamp)
      bytesSinceEntry = 0
    }
    bytesSinceEntry += header.size
    if header.maxTimestamp > maxTimestamp { maxTimestamp = header.maxTimestamp }
  }
}
