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
    let period = max(1, milliseconds / 2)
    Thread.detachNewThread { [weak topic, self] in
      while true {
        let seen = self.wakeUp.current
        if self.stopped.withLock({ $0 }) { return }
        self.wakeUp.wait(after: seen, milliseconds: period)
        if self.stopped.withLock({ $0 }) { return }
        guard let topic else { return }
        for partition in topic.partitions { partition.flushIfDue(afterMilliseconds: milliseconds) }
      }
    }
  }

  func stop() {
    stopped.withLock { $0 = true }
    wakeUp.publish()
  }
}

extension Partition {
  /// Syncs when data has waited at least `milliseconds` since the last sync. A failure
  /// latches the writer as an append's would; the next append reports it.
  func flushIfDue(afterMilliseconds milliseconds: Int64) {
    writer.withLock { slot in
      guard var current = slot.take() else { return }
      defer { slot = current }
      guard current.failure == nil, current.hasUnsyncedData,
        MonotonicClock.milliseconds() - current.lastSyncMilliseconds >= milliseconds
      else { return }
      do throws(FileIOError) {
        try io.sync(current.segment.log)
        current.hasUnsyncedData = false
        current.lastSyncMilliseconds = MonotonicClock.milliseconds()
        try writeRecoveryPoint(current.segment.nextOffset)
      } catch {
        current.failure = error
      }
    }
  }
}
