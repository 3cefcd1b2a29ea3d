/// The housekeeping a writer runs after appending (the CLI after each `produce`, the
/// runtime periodically): retention for `delete` topics; for `compact` topics,
/// compaction once the segments written since the last compaction (the dirty part) make
/// up at least half of the closed segments' bytes, as Kafka's
/// `min.cleanable.dirty.ratio` of 0.5 does. Where the last compaction ended is kept in
/// `cleaner-checkpoint` (same layout as `high-watermark`).
extension Partition {
  static let cleanerCheckpointFileName = "cleaner-checkpoint"
  public static let minCleanableDirtyRatio = 0.5

  public enum MaintenanceResult: Hashable, Sendable {
    case retention(RetentionResult)
    case compaction(CompactionResult)
    case nothingToDo
  }

  @discardableResult
  public func maintain() throws(LogError) -> MaintenanceResult {
    switch config.cleanupPolicy {
    case .delete:
      let result = try enforceRetention()
      return result.deletedSegments > 0 ? .retention(result) : .nothingToDo
    case .compact:
      let path = LogPath.join(directory, Partition.cleanerCheckpointFileName)
      let checkpoint = HighWatermark.read(io: io, path: path) ?? Offset(0)
      let closed = snapshot().closed
      let total = closed.reduce(Int64(0)) { $0 + $1.committedBytes }
      let dirty = closed.filter { $0.baseOffset >= checkpoint }.reduce(Int64(0)) { $0 + $1.committedBytes }
      guard dirty > 0, Double(dirty) >= Partition.minCleanableDirtyRatio * Double(total) else { return .nothingToDo }
      let result = try compact()
      if let end = closed.last?.nextOffset {
        var bytes = [UInt8](repeating: 0, count: HighWatermark.size)
        HighWatermark.encode(end, into: &bytes)
        do throws(FileIOError) {
          try io.writeAtomically(bytes, to: path)
        } catch {
          throw .io(error)
        }
      }
      return .compaction(result)
    }
  }
}

extension Topic {
  /// Runs `Partition.maintain` on every partition.
  @discardableResult
  public func maintain() throws(LogError) -> [Partition.MaintenanceResult] {
    var results: [Partition.MaintenanceResult] = []
    for partition in partitions { results.append(try partition.maintain()) }
    return results
  }
}
