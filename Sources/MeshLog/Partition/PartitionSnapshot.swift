/// What a partition holds at one moment: its closed segments and its active segment up
/// to the last acknowledged batch. Immutable; the writer publishes a new one under the
/// partition's lock after every append, roll, retention or compaction, and readers work
/// from the one they took, so they never see a batch that was not acknowledged.
public struct PartitionSnapshot: Sendable {
  var closed: [SegmentSnapshot]
  var active: SegmentSnapshot
  /// Offsets known to be lost (from the partition record and this open's recovery),
  /// sorted; a reader that reaches them stops, unless told to skip damage.
  var lost: [LostRecords] = []
  /// The partition record's start: offsets before it were removed by retention. Segments
  /// after it that are lost do not move it.
  var logStart: Offset?
  /// Damage once found, kept after retention removed it (the partition record's reports).
  var pastDamage: [String] = []
  /// Files named like segments that the partition record does not know: left alone.
  var strays: [String] = []

  /// The first offset still in the log (retention moves it forward).
  public var startOffset: Offset {
    let first = closed.first?.baseOffset ?? active.baseOffset
    return logStart.map { min($0, first) } ?? first
  }
  /// The offset the next appended record will get.
  public var endOffset: Offset { active.nextOffset }
  /// Bytes of all segments.
  public var sizeInBytes: Int64 { closed.reduce(active.committedBytes) { $0 + $1.committedBytes } }
  public var segmentCount: Int { closed.count + 1 }

  var segments: [SegmentSnapshot] { closed + [active] }

  /// The first lost range that ends after `offset` and starts before `limit`.
  func lost(from offset: Offset, before limit: Offset) -> LostRecords? {
    lost.first { $0.offsets.upperBound > offset && $0.offsets.lowerBound < limit }
  }

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
