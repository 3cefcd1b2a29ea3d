/// Structural checks of a partition's published state, run by the tests after every
/// operation (as TigerBeetle's `verify` calls are): they catch a broken snapshot before it
/// turns into a wrong read.
extension Partition {
  /// Every invariant that does not hold, as text; empty when all hold.
  public func checkInvariants() -> [String] {
    var problems: [String] = []
    let snapshot = snapshot()
    let segments = snapshot.segments
    for (index, segment) in segments.enumerated() {
      if segment.isActive != (index == segments.count - 1) {
        problems.append("segment \(segment.baseOffset): active flag \(segment.isActive) at position \(index)")
      }
      if segment.nextOffset < segment.baseOffset {
        problems.append("segment \(segment.baseOffset): next offset \(segment.nextOffset) before its base")
      }
      if index + 1 < segments.count {
        let next = segments[index + 1]
        if next.baseOffset <= segment.baseOffset {
          problems.append("segment \(next.baseOffset) does not come after \(segment.baseOffset)")
        }
        if segment.nextOffset > next.baseOffset {
          problems.append(
            "segment \(segment.baseOffset) ends at \(segment.nextOffset), past the next base \(next.baseOffset)")
        }
      }
      if segment.committedBytes < 0 { problems.append("segment \(segment.baseOffset): negative size") }
    }
    if isWritable {
      writer.withLock { writer in
        guard let writer else { return }
        if writer.segment.baseOffset != snapshot.active.baseOffset {
          problems.append("writer segment \(writer.segment.baseOffset) is not the published active segment")
        }
        if writer.failure == nil, writer.segment.nextOffset != snapshot.endOffset {
          problems.append("writer end \(writer.segment.nextOffset) differs from published end \(snapshot.endOffset)")
        }
        if writer.failure == nil, writer.segment.size != snapshot.active.committedBytes {
          problems.append(
            "writer size \(writer.segment.size) differs from published size \(snapshot.active.committedBytes)")
        }
      }
    }
    return problems
  }

  /// The published segments as (base offset, next offset, bytes, newest timestamp, active),
  /// for tests that model retention and compaction.
  public var segmentSummaries: [(base: Offset, next: Offset, bytes: Int64, maxTimestamp: Int64, isActive: Bool)] {
    snapshot().segments.map { ($0.baseOffset, $0.nextOffset, $0.committedBytes, $0.maxTimestamp, $0.isActive) }
  }
}
