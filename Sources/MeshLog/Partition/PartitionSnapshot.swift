/// What a partition holds at one moment: its closed segments and its active segment up
/// to the last acknowledged batch. Immutable; the writer publishes a new one under the
/// partition's lock after every append, roll, retention or compaction, and readers work
/// from the one they took, so they never see a batch that was not acknowledged.
public struct PartitionSnapshot: Sendable {
  var closed: [SegmentSnapshot]
  var active: SegmentSnapshot

  /// The first offset still in the log (retention moves it forward).
  public var startOffset: Offset { closed.first?.baseOffset ?? active.baseOffset }
  /// The offset the next appended record will get.
  public var endOffset: Offset { active.nextOffset }
  /// Bytes of all segments.
  public var sizeInBytes: Int64 { closed.reduce(active.committedBytes) { $0 + $1.committedBytes } }
  public var segmentCount: Int { closed.count + 1 }

  var segments: [SegmentSnapshot] { closed + [active] }

  /// The index of the segment holding `offset` (the last one whose base is ≤ it).
  func segmentIndex(for offset: Offset) -> Int {
    var low = 0
    var high = closed.count + 1
    while low < high {
      let mid = (low + high) / 2
      let base = mid < closed.count ? closed[mid].baseOffset : active.baseOffset
      if base <= offset { low = mid + 1 } else { high = mid }
    }
    return max(0, low - 1)
  }

  func segment(at index: Int) -> SegmentSnapshot { index < closed.count ? closed[index] : active }

  /// The first segment whose newest record is at or after `timestamp` (the active one
  /// when none is).
  func segmentIndex(forTimestamp timestamp: Int64) -> Int {
    for (index, segment) in closed.enumerated() where segment.maxTimestamp >= timestamp { return index }
    return closed.count
  }
}
