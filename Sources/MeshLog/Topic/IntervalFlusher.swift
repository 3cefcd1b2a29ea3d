import Foundation
import Synchronization

/// Syncs a topic's partitions in the background under `fsync=interval`, so that data is on
/// disk within one interval even when no later append comes to trigger the sync (Kafka's
/// `flush.ms` scheduler). One thread per writable topic with that policy; it holds the
/// topic weakly and stops when the topic closes or goes away.
///
/// Thread-safety: the stop flag and the in-pass flag share a `Mutex`; wake-ups and the
/// end of a pass use `DataSignal`s.
final class IntervalFlusher: Sendable {
  private struct State {
    var stopped = false
    var passing = false
  }
  private let state = Mutex(State())
  private let wakeUp = DataSignal()
  private let passEnded = DataSignal()

  init(topic: Topic, milliseconds: Int64) {
    // Waking four times an interval and syncing what has waited three quarters of one
    // puts every append on disk within one interval (plus the sync's own time).
    let period = max(1, milliseconds / 4)
    let threshold = milliseconds - period
    Thread.detachNewThread { [weak topic, self] in
      while true {
        let seen = self.wakeUp.current
        if self.state.withLock({ $0.stopped }) { return }
        self.wakeUp.wait(after: seen, milliseconds: period)
        // Only the partitions are held during a pass, never the topic: its last
        // reference must not go (and its deinit run `stop`) on this thread.
        guard let partitions = topic?.partitions, self.beginPass() else { return }
        for partition in partitions { partition.flushIfDue(afterMilliseconds: threshold) }
        self.state.withLock { $0.passing = false }
        self.passEnded.publish()
      }
    }
  }

  private func beginPass() -> Bool {
    state.withLock { state in
      if state.stopped { return false }
      state.passing = true
      return true
    }
  }

  /// Stops the thread and waits for a pass in progress to end, so that once the topic
  /// is closed (or abandoned) nothing syncs or writes its recovery points any more: a
  /// deletion that follows must not race a recovery point's temporary file.
  func stop() {
    state.withLock { $0.stopped = true }
    wakeUp.publish()
    while true {
      let seen = passEnded.current
      if !state.withLock({ $0.passing }) { return }
      passEnded.wait(after: seen, milliseconds: 100)
    }
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
        if error.isNotFound || current.segment.logPath != due.path { return }
        current.failure = error
      }
    }
  }
}
