extension Topic {
  /// Resolves `position` to the offset each partition's reading starts at (`partitions`
  /// in the order given; nil: all of them), against each partition's current snapshot.
  /// Throws `unknownPartition`, `offsetOutOfRange` for an `.offset` outside a partition,
  /// and what reading the group's offsets or the time index throws.
  public func startOffsets(
    _ position: StartPosition, partitions ids: [Int]? = nil
  ) throws(LogError)
    -> [PartitionStart]
  {
    var committed: [Int: Offset] = [:]
    if case .committed(let group, _) = position { committed = try committedOffsets(group: group) }
    var starts: [PartitionStart] = []
    for id in ids ?? Array(partitions.indices) {
      let partition = try self.partition(id)
      let snapshot = partition.snapshot()
      let start = snapshot.startOffset
      let end = snapshot.endOffset
      switch position {
      case .earliest: starts.append(PartitionStart(partition: id, offset: start))
      case .latest: starts.append(PartitionStart(partition: id, offset: end))
      case .offset(let offset):
        guard offset >= start, offset <= end else {
          throw .offsetOutOfRange(topic: name, partition: id, offset: offset, start: start, end: end)
        }
        starts.append(PartitionStart(partition: id, offset: offset))
      case .time(let milliseconds):
        let offset = try partition.reader(fromTimestamp: milliseconds).position
        starts.append(PartitionStart(partition: id, offset: offset))
      case .committed(_, let otherwise):
        guard let offset = committed[id] else {
          starts.append(PartitionStart(partition: id, offset: otherwise == .earliest ? start : end))
          continue
        }
        if offset < start || offset > end {
          starts.append(
            PartitionStart(
              partition: id, offset: offset < start ? start : end,
              reset: PartitionStart.Reset(committed: offset, start: start, end: end), fromCommitted: true))
        } else {
          starts.append(PartitionStart(partition: id, offset: offset, fromCommitted: true))
        }
      }
    }
    return starts
  }
}
