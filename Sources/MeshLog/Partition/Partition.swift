import Synchronization

/// One partition of a topic: an ordered, append-only sequence of records stored as
/// segment files in its own directory.
///
/// Thread-safety: every method may be called from any thread. Appends are serialized by
/// the writer lock (one writer per partition; across processes the topic's lock file
/// guarantees it). Readers work from immutable `PartitionSnapshot`s published under the
/// state lock after each acknowledged append, so they never see unacknowledged data and
/// never block the writer for longer than a pointer swap. All calls block on file I/O:
/// call them from threads you own, not from the Swift concurrency pool.
public final class Partition: Sendable {
  public let topic: String
  public let id: Int
  public let config: TopicConfig
  public let directory: String
  let io: any FileIO
  let clock: any LogClock
  public let isWritable: Bool
  let state: Mutex<PartitionSnapshot>
  let writer: Mutex<PartitionWriter?>
  let signal = DataSignal()
  /// Held while retention or compaction runs, so that only one cleaner works at a time.
  let cleaning = Mutex<Void>(())
  /// The last offset written to the recovery point file. Writes of that file are
  /// serialized here (the background flusher writes it outside the writer lock) and
  /// only move forward.
  let recoveryPoint = Mutex<Offset?>(nil)
  /// The partition record of a writable partition (nil when read-only); rewritten under
  /// this lock, the innermost one, by rolls, closes, retention, compaction and repair.
  let record: Mutex<PartitionRecord?>

  /// `recovery-point`: the offset before which everything is synced (same layout as
  /// `high-watermark`), kept for `fsync=interval` and `none`.
  static let recoveryPointFileName = "recovery-point"

  init(
    topic: String, id: Int, config: TopicConfig, directory: String, io: any FileIO, clock: any LogClock,
    snapshot: PartitionSnapshot, writer: sending PartitionWriter?, record: PartitionRecord?
  ) {
    self.topic = topic
    self.id = id
    self.config = config
    self.directory = directory
    self.io = io
    self.clock = clock
    self.isWritable = writer != nil
    var snapshot = snapshot
    if let record { Partition.copy(record, into: &snapshot, topic: topic, partition: id) }
    self.state = Mutex(snapshot)
    self.writer = Mutex(writer)
    self.record = Mutex(record)
  }

  /// Releases the writer's files without sealing (see `Topic.deinit`).
  deinit {
    writer.withLock { writer in
      writer?.release(io: io)
      writer = nil
    }
  }

  /// The current snapshot. In a read-only partition (another process writes), this is
  /// what the last `refresh` found.
  public func snapshot() -> PartitionSnapshot { state.withLock { $0 } }

  public var startOffset: Offset { snapshot().startOffset }
  public var endOffset: Offset { snapshot().endOffset }

  /// Damaged batches recovery found and kept (it never truncates acknowledged data that
  /// valid batches follow); readers stop with an error when they reach one.
  public var damage: [CorruptBatch] { snapshot().segments.compactMap(\.damage) }

  /// Offsets the partition once acknowledged and no longer holds (see `LostRecords`).
  public var lost: [LostRecords] { snapshot().lost }

  /// Damage found before, kept after retention removed the data it was in, and other
  /// reports of the partition record (a rebuilt record, a segment that grew).
  public var pastDamage: [String] { snapshot().pastDamage }

  /// Files named like segments that the partition record does not list (left alone).
  public var strays: [String] { snapshot().strays }

  /// Changes the partition record and writes it (atomically) when it changed.
  func updateRecord(_ change: (inout PartitionRecord) -> Void) throws(FileIOError) {
    try record.withLock { (slot) throws(FileIOError) in
      guard var updated = slot else { return }
      change(&updated)
      guard updated != slot else { return }
      try io.writeAtomically(updated.encoded(), to: LogPath.join(directory, PartitionRecord.fileName))
      slot = updated
      let written = updated
      publish { Partition.copy(written, into: &$0, topic: topic, partition: id) }
    }
  }

  static func copy(_ record: PartitionRecord, into snapshot: inout PartitionSnapshot, topic: String, partition: Int) {
    snapshot.logStart = record.start
    snapshot.lost = record.lost.map {
      LostRecords(topic: topic, partition: partition, offsets: $0.offsets, reason: $0.reason)
    }
    snapshot.pastDamage = record.damaged.map(\.description)
  }

  func publish(_ update: (inout PartitionSnapshot) -> Void) {
    state.withLock { update(&$0) }
    signal.publish()
  }

  /// A reader positioned at `offset` (clamped into `startOffset...endOffset` only when
  /// `clamp` is true; otherwise an offset outside throws `offsetOutOfRange`).
  public func reader(from offset: Offset, clamp: Bool = false) throws(LogError) -> PartitionReader {
    try reader(from: offset, clamp: clamp, reading: .standard)
  }

  func reader(from offset: Offset, clamp: Bool, reading: PartitionReader.Reading) throws(LogError) -> PartitionReader {
    let snapshot = snapshot()
    var start = offset
    if offset < snapshot.startOffset || offset > snapshot.endOffset {
      guard clamp else {
        throw .offsetOutOfRange(
          topic: topic, partition: id, offset: offset, start: snapshot.startOffset, end: snapshot.endOffset)
      }
      start = min(max(offset, snapshot.startOffset), snapshot.endOffset)
    }
    return PartitionReader(partition: self, snapshot: snapshot, offset: start, reading: reading)
  }

  /// A reader at the first record whose timestamp is ≥ `timestamp` (or at the end).
  public func reader(fromTimestamp timestamp: Int64) throws(LogError) -> PartitionReader {
    let reader = PartitionReader(partition: self, snapshot: snapshot(), offset: snapshot().startOffset)
    try reader.seek(toTimestamp: timestamp)
    return reader
  }

  /// Blocks until the end offset is greater than `offset` or `milliseconds` pass; returns the
  /// end offset then. A read-only partition (written by another process) rechecks the
  /// disk at most every 100 ms while it waits.
  public func waitForData(beyond offset: Offset, milliseconds: Int64) -> Offset {
    let deadline = MonotonicClock.milliseconds() + milliseconds
    while true {
      let seen = signal.current
      if !isWritable { refresh() }
      let end = endOffset
      let now = MonotonicClock.milliseconds()
      if end > offset || now >= deadline { return end }
      let slice = isWritable ? deadline - now : min(deadline - now, 100)
      signal.wait(after: seen, milliseconds: slice)
    }
  }
}
