/// `meshc topics repair`: accepting what recovery found lost, so that a partition whose
/// acknowledged tail is gone takes appends again without reusing an offset.
extension Partition {
  /// Accepts a lost tail: the active segment is sealed with what it still holds (or
  /// removed when it holds nothing) and appends go on at the first offset after the
  /// loss. The lost offsets stay in the partition record, so readers still stop there
  /// (unless they skip damage) and `describe` still lists them. Returns what was done.
  public func repair() throws(LogError) -> [String] {
    try withWriter { (writer) throws(LogError) -> [String] in
      var done: [String] = []
      if let rebuilt = writer.rebuiltRecord {
        done.append("partition \(id): \(rebuilt)")
        writer.rebuiltRecord = nil
      }
      guard let loss = writer.tailLoss else { return done }
      let next = loss.offsets.upperBound
      do throws(FileIOError) {
        try writer.segment.seal(io: io)
        let old = writer.segment
        if old.size == 0 { try SegmentName.removeFiles(of: old.baseOffset, in: directory, io: io) }
        try updateRecord { record in
          if old.size > 0 {
            record.sealed.append(.init(base: old.baseOffset, end: next, bytes: old.size, cleaning: nil))
          }
          record.active = next
          record.acknowledged = max(record.acknowledged, next)
        }
        let fresh = try ActiveSegment.create(
          directory: directory, baseOffset: next, indexInterval: config.indexIntervalBytes, io: io)
        let closed = old.size > 0 ? old.sealedSnapshot(io: io, damage: writer.activeDamage) : nil
        old.close(io: io)
        writer.segment = fresh
        writer.activeDamage = nil
        writer.tailLoss = nil
        writer.hasUnsyncedData = false
        try writer.writeHighWatermark(io: io)
        if case .everyBatch = config.fsync {} else { try writeRecoveryPoint(next) }
        publish {
          if let closed { $0.closed.append(closed) }
          $0.active = fresh.snapshot()
        }
      } catch {
        writer.failure = error
        throw .writerFailed(topic: topic, partition: id, cause: error)
      }
      done.append("partition \(id): appends go on at offset \(next); \(loss.description) (still reported)")
      return done
    }
  }
}
