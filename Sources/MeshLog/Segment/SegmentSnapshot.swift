/// An immutable description of one segment as readers see it at one moment. Closed
/// segments never change (compaction replaces them by a new file under the same name,
/// which readers detect by its size); the active segment's snapshot says how many of
/// its bytes are committed (acknowledged), and readers never read past that.
struct SegmentSnapshot: Sendable {
  let baseOffset: Offset
  let logPath: String
  /// True for the active segment: read no further than `committedBytes`.
  let isActive: Bool
  /// Bytes that hold whole, acknowledged batches.
  let committedBytes: Int64
  /// The offset after the last record (the next segment's base or the log's end offset).
  let nextOffset: Offset
  /// The largest record timestamp, `Int64.min` when the segment is empty.
  let maxTimestamp: Int64
  let index: any SegmentIndex
  /// Where recovery found a damaged batch in this segment, if it did.
  let damage: CorruptBatch?

  func with(committedBytes: Int64, nextOffset: Offset, maxTimestamp: Int64) -> SegmentSnapshot {
    SegmentSnapshot(
      baseOffset: baseOffset, logPath: logPath, isActive: isActive, committedBytes: committedBytes,
      nextOffset: nextOffset, maxTimestamp: maxTimestamp, index: index, damage: damage)
  }
}
