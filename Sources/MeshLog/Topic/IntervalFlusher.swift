import Foundation
import Synchronization

/// Syncs a topic's partitions in the background under `fsync=interval`, so that data is on
/// disk within one interval even when no later append comes to trigger the sync (Kafka's
/// `flush.ms` scheduler). One thread per writable topic with that policy; it holds the
/// topic weakly and stops when the topic closes or goes away.
///
/// Thread-safety: the stop flag is a `Mutex`; the wake-up uses a `DataSignal`.
final class IntervalFlusher: Sendable {
  private let stopped = Mutex(false)
  private let wakeUp = DataSignal()

  init(topic: Topic, milliseconds: Int64) {
    // Waking four times an interval and syncing what has waited three quarters of one
    // puts every append on disk within one interval (plus the sync's own time).
    let period = max(1, milliseconds / 4)
    let threshold = milliseconds - period
    Thread.detachNewThread { [weak topic, self] in
      while true {
        let seen = self.wakeUp.current
        if self.stopped.withLock({ $0 }) { return }
        self.wakeUp.wait(after: seen, milliseconds: period)
        if self.stopped.withLock({ $0 }) { return }
        guard let topic else { return }
        for partition in topic.partitions { partition.flushIfDue(afterMilliseconds: threshold) }
      }
    }
  }

  func stop() {
    stopped.withLock { $0 = true }
    wakeUp.publish()
  }
}

extension Partition {
  /// Syncs when data has waited at least `milliseconds` since the last sync. The writer
  /// lock is held only to see what to sync and to record that it was: the sync itself
  /// runs outside it, so appends go on while the disk catches up (under `interval` an
  /// append is acknowledged without waiting for a sync). A failure latches the writer
  /// as an append's would; the next append reports it.
  func flushIfDue(afterMilliseconds milliseconds: Int64) {
    let due = writer.withLock { slot -> (path: String, end: Offset, started: Int64)? in
      let now = MonotonicClock.milliseconds()
      guard let current = slot, current.failure == nil, current.hasUnsyncedData,
        now - current.lastSyncMilliseconds >= milliseconds
      else { return nil }
      return (current.segment.logPath, current.segment.nextOffset, now)
    }
    guard let due else { return }
    do throws(FileIOError) {
      // A descriptor of our own: the writer may roll and close its own meanwhile.
      // Syncing any descriptor of a file makes all of the file's data durable.
      let handle = try io.open(due.path, .readOnly)
      defer { io.close(handle) }
      try io.sync(handle)
      try writeRecoveryPoint(due.end)
      writer.withLock { slot in
        guard var current = slot.take() else { return }
        defer { slot = current }
        current.lastSyncMilliseconds = max(current.lastSyncMilliseconds, due.started)
        if current.segment.nextOffset == due.end { current.hasUnsyncedData = false }
      }
    } catch {
      writer.withLock { slot in
        guard var current = slot.take() else { return }
        defer { slot = current }
        // A segment that a roll sealed (and synced) or a closing topic removed is no failure.
        if error.errno == 2 || current.segment.logPath != due.path { return }
        current.failure = error
      }
    }
  }
}
