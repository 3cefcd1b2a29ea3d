/// What a retention pass removed.
public struct RetentionResult: Hashable, Sendable {
  public var deletedSegments: Int
  public var deletedBytes: Int64
  public var startOffset: Offset
}

/// Time and size retention: whole closed segments are deleted from the oldest on; the
/// active segment never is. A segment expires by time when its newest record is older
/// than `retention.ms`; by size while the partition without it would still hold at
/// least `retention.bytes` (Kafka's rules).
extension Partition {
  @discardableResult
  public func enforceRetention() throws(LogError) -> RetentionResult {
    guard isWritable else { throw .readOnly(topic: topic) }
    return try cleaning.withLock { _ throws(LogError) -> RetentionResult in
      let now = clock.now()
      let snapshot = snapshot()
      var expired = 0
      if let cutoff = TopicConfig.cutoff(config.retention, now: now) {
        while expired < snapshot.closed.count, snapshot.closed[expired].maxTimestamp < cutoff {
          expired += 1
        }
      }
      if let limit = config.retentionBytes.limit?.value {
        var remaining = snapshot.sizeInBytes - snapshot.closed.prefix(expired).reduce(0) { $0 + $1.committedBytes }
        while expired < snapshot.closed.count, remaining - snapshot.closed[expired].committedBytes >= limit {
          remaining -= snapshot.closed[expired].committedBytes
          expired += 1
        }
      }
      guard expired > 0 else {
        return RetentionResult(deletedSegments: 0, deletedBytes: 0, startOffset: snapshot.startOffset)
      }
      let doomed = Array(snapshot.closed.prefix(expired))
      let newStart = snapshot.closed.dropFirst(expired).first?.baseOffset ?? snapshot.active.baseOffset
      // Readers first stop seeing the segments; those already reading keep their
      // descriptors and finish the files, which live on until closed. The record says
      // first that they are gone, so that a crash before the removal does not make
      // them lost, and the next open removes what is left of them.
      do throws(FileIOError) {
        try updateRecord { record in
          record.start = max(record.start, newStart)
          record.sealed.removeAll { $0.base < newStart }
        }
        publish {
          $0.closed.removeFirst(expired)
          $0.logStart = $0.logStart.map { max($0, newStart) }
        }
        for segment in doomed { try removeSegmentFiles(segment.baseOffset) }
        try io.syncDirectory(directory)
      } catch {
        throw .io(error)
      }
      return RetentionResult(
        deletedSegments: doomed.count, deletedBytes: doomed.reduce(0) { $0 + $1.committedBytes },
        startOffset: self.snapshot().startOffset)
    }
  }

  func removeSegmentFiles(_ base: Offset) throws(FileIOError) {
    try SegmentName.removeFiles(of: base, in: directory, io: io)
  }
}
