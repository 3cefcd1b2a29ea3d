extension Topic {
  /// Blocks until one of `positions`' partitions has records at or after its position, or
  /// `milliseconds` pass; returns whether one does. A single partition waits on its
  /// writer's signal; several are checked at least every 100 ms (and a read-only topic
  /// rereads the disk then, since its writer is another process).
  public func waitForData(beyond positions: [Int: Offset], milliseconds: Int64) -> Bool {
    let watched = positions.compactMap { id, offset in partitions.indices.contains(id) ? (partitions[id], offset) : nil
    }
    guard let first = watched.first else { return false }
    if watched.count == 1 { return first.0.waitForData(beyond: first.1, milliseconds: milliseconds) > first.1 }
    let deadline = MonotonicClock.milliseconds() + milliseconds
    while true {
      for (partition, offset) in watched {
        if !partition.isWritable { partition.refresh() }
        if partition.endOffset > offset { return true }
      }
      let now = MonotonicClock.milliseconds()
      if now >= deadline { return false }
      _ = first.0.waitForData(beyond: first.1, milliseconds: min(100, deadline - now))
    }
  }
}
