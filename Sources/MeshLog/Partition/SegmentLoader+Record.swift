/// Opening a partition against its record (`PartitionRecord`): the segments the record
/// lists are loaded, and what the disk lacks becomes a report instead of a silent jump.
///
/// - A sealed segment that is missing, or shorter than it was sealed, lost the offsets
///   from its last whole batch to its end. Readers stop there; the open goes on.
/// - The active segment ending before the acknowledged end (the record's, or the high
///   watermark's / recovery point's since the last roll) lost acknowledged records:
///   the writer refuses appends, which would hand out their offsets again, until
///   `repair` accepts the loss.
/// - Files named like segments that the record does not list are strays: left alone and
///   reported, never adopted. Segments below the record's start are what an interrupted
///   retention pass had yet to remove.
/// - A partition without a record (made before records existed) gets one from its files.
extension SegmentLoader {
  enum StoredRecord: Equatable {
    case missing
    case found(PartitionRecord)
    case damaged(String)
  }

  /// What a writable open found and decided.
  struct Writable {
    var closed: [SegmentSnapshot]
    var active: ActiveSegment
    var damage: CorruptBatch?
    var record: PartitionRecord
    var tailLoss: LostRecords?
    var strays: [String]
    /// Set when the record was rebuilt from the files (it was damaged and `repairing`).
    var rebuilt: String?
  }

  var recordPath: String { LogPath.join(directory, PartitionRecord.fileName) }

  func readRecord() -> StoredRecord {
    let bytes: [UInt8]?
    do {
      bytes = try io.readSmallFile(recordPath, limit: 16 << 20)
    } catch {
      return error.isNotFound ? .missing : .damaged(error.description)
    }
    guard let bytes else { return .missing }
    switch PartitionRecord.decode(bytes) {
    case .success(let record): return .found(record)
    case .failure(let problem): return .damaged(problem.description)
    }
  }

  func writeRecord(_ record: PartitionRecord) throws(FileIOError) {
    try io.writeAtomically(record.encoded(), to: recordPath)
  }

  /// The record of a partition's files as they are, for a partition without one.
  private func adopt(_ bases: [Offset]) throws(FileIOError) -> PartitionRecord {
    var record = PartitionRecord.empty
    guard let last = bases.last, let first = bases.first else { return record }
    record.start = first
    record.active = last
    for (index, base) in bases.dropLast().enumerated() {
      let size = try fileSize(LogPath.join(directory, SegmentName.log(base)))
      record.sealed.append(.init(base: base, end: bases[index + 1], bytes: size, cleaning: nil))
    }
    return record
  }

  /// How far appends got since the last roll or close, as the partition's hint files
  /// say: the high watermark under `fsync=batch` (written after the sync), the recovery
  /// point otherwise (the high watermark may be ahead of what reached the disk).
  func acknowledgedHint(highWatermark: Offset?) -> Offset? {
    if case .everyBatch = config.fsync { return highWatermark }
    return HighWatermark.read(io: io, path: LogPath.join(directory, Partition.recoveryPointFileName))
  }

  /// Opens every segment for writing: the record's sealed segments verified, its active
  /// one recovered (or created), what is lost reported and recorded.
  func loadWritable(repairing: Bool) throws(LogError) -> Writable {
    do {
      try io.createDirectory(directory)
      let bases = try segmentBases(cleanUp: true)
      var record: PartitionRecord
      var rebuilt: String?
      var unwritten = true
      switch readRecord() {
      case .found(let found):
        record = found
        unwritten = false
      case .missing:
        record = try adopt(bases)
      case .damaged(let reason):
        guard repairing else {
          throw LogError.damagedPartitionRecord(topic: topic, partition: partition, path: recordPath, reason: reason)
        }
        record = try adopt(bases)
        rebuilt = "the segment record was damaged (\(reason)) and was rebuilt from the segment files"
        record.noteReport(at: record.start, rebuilt ?? "")
      }
      let stored = record
      var loaded = try reconcileWritable(record, bases: bases)
      loaded.rebuilt = rebuilt
      if unwritten || loaded.record != stored { try writeRecord(loaded.record) }
      return loaded
    } catch {
      throw LogError.wrap(error)
    }
  }

  private func reconcileWritable(_ stored: PartitionRecord, bases: [Offset]) throws(FileIOError) -> Writable {
    var record = stored
    let present = Set(bases)
    for base in bases where base < record.start {
      // Retention recorded the new start, then died before removing these.
      try SegmentName.removeFiles(of: base, in: directory, io: io)
    }
    let strays = strayPaths(record, bases: bases)
    var closed: [SegmentSnapshot] = []
    var kept: [PartitionRecord.Sealed] = []
    for var entry in record.sealed where isThere(&entry, present: present, record: &record) {
      let segment = try loadClosed(base: entry.base, rewriteIndexes: true)
      compare(segment, with: &entry, in: &record)
      if let damage = segment.damage { record.noteDamage(damage) }
      kept.append(entry)
      closed.append(segment)
    }
    record.sealed = kept

    let hint = acknowledgedHint(
      highWatermark: HighWatermark.read(io: io, path: LogPath.join(directory, HighWatermark.fileName)))
    let acknowledged = max(record.acknowledged, hint ?? record.acknowledged)
    let activePath = LogPath.join(directory, SegmentName.log(record.active))
    let active: ActiveSegment
    var damage: CorruptBatch?
    if present.contains(record.active) {
      (active, damage) = try recoverActive(base: record.active)
    } else {
      active = try ActiveSegment.create(
        directory: directory, baseOffset: record.active, indexInterval: config.indexIntervalBytes, io: io)
    }
    var tailLoss: LostRecords?
    if active.nextOffset < acknowledged {
      let reason = tailLossReason(
        activePath, exists: present.contains(record.active), end: active.nextOffset, acknowledged: acknowledged)
      var lost = LostRecords(
        topic: topic, partition: partition, offsets: active.nextOffset..<acknowledged, reason: reason)
      record.noteLost(.init(offsets: lost.offsets, reason: reason))
      // In the words of the open that found it first.
      lost.reason = record.lost.first { $0.offsets == lost.offsets }?.reason ?? reason
      tailLoss = lost
    }
    if let damage { record.noteDamage(damage) }
    record.acknowledged = max(acknowledged, active.nextOffset)
    return Writable(
      closed: closed, active: active, damage: damage, record: record, tailLoss: tailLoss, strays: strays, rebuilt: nil)
  }

  /// Reads the partition against its record without changing anything on disk. The
  /// record is read before and after the files: a writer that rolled or removed
  /// segments in between makes it look again.
  func loadReadOnly(previous: PartitionSnapshot?) throws(FileIOError) -> PartitionSnapshot {
    var attempt = 0
    while true {
      let before = readRecord()
      let bases = try segmentBases(cleanUp: false)
      var record: PartitionRecord
      var notes: [String] = []
      switch before {
      case .found(let found): record = found
      case .missing: record = try adopt(bases)
      case .damaged(let reason):
        record = try adopt(bases)
        notes.append("the segment record '\(recordPath)' is damaged (\(reason)); 'meshc topics repair' rebuilds it")
      }
      var snapshot = try reconcileReadOnly(record, bases: bases, previous: previous)
      snapshot.pastDamage += notes
      attempt += 1
      if attempt >= 5 || readRecord() == before { return snapshot }
    }
  }

  private func reconcileReadOnly(
    _ stored: PartitionRecord, bases: [Offset], previous: PartitionSnapshot?
  ) throws(FileIOError) -> PartitionSnapshot {
    // A scratch copy collects what this look finds; nothing is written.
    var record = stored
    let present = Set(bases)
    var reusable: [Offset: SegmentSnapshot] = [:]
    for segment in previous?.closed ?? [] { reusable[segment.baseOffset] = segment }
    var closed: [SegmentSnapshot] = []
    for var entry in record.sealed where isThere(&entry, present: present, record: &record) {
      let path = LogPath.join(directory, SegmentName.log(entry.base))
      let segment: SegmentSnapshot
      if let known = reusable[entry.base], (try? fileSize(path)) == known.committedBytes {
        segment = known
      } else {
        segment = try loadClosed(base: entry.base, rewriteIndexes: false)
      }
      compare(segment, with: &entry, in: &record)
      closed.append(segment)
    }

    // Batches past the high watermark are shown only while a writer holds the topic:
    // then they may be an append still waiting for its sync.
    let highWatermark = HighWatermark.read(io: io, path: LogPath.join(directory, HighWatermark.fileName))
    let writerAlive = io.isLocked(LogPath.join(LogPath.parent(of: directory), Topic.lockFileName))
    let acknowledged = max(record.acknowledged, acknowledgedHint(highWatermark: highWatermark) ?? record.acknowledged)
    let activePath = LogPath.join(directory, SegmentName.log(record.active))
    let active: SegmentSnapshot
    if present.contains(record.active) {
      active = try readActive(base: record.active, previous: previous?.active, cap: writerAlive ? highWatermark : nil)
    } else {
      active = SegmentSnapshot(
        baseOffset: record.active, logPath: activePath, isActive: true, committedBytes: 0, nextOffset: record.active,
        maxTimestamp: .min, index: MemoryIndex(baseOffset: record.active), damage: nil)
    }
    // With a writer at work, its own open recorded any lost tail; the cap above may
    // stop short of a watermark it is still writing.
    if !writerAlive, active.nextOffset < acknowledged,
      !record.lost.contains(where: {
        $0.offsets.lowerBound <= active.nextOffset && $0.offsets.upperBound >= acknowledged
      })
    {
      record.noteLost(
        .init(
          offsets: active.nextOffset..<acknowledged,
          reason: tailLossReason(
            activePath, exists: present.contains(record.active), end: active.nextOffset, acknowledged: acknowledged)))
    }
    var snapshot = PartitionSnapshot(closed: closed, active: active)
    snapshot.logStart = record.start
    snapshot.lost = record.lost.map {
      LostRecords(topic: topic, partition: partition, offsets: $0.offsets, reason: $0.reason)
    }
    snapshot.pastDamage = record.damaged.map(\.description)
    snapshot.strays = strayPaths(record, bases: bases)
    return snapshot
  }

  func tailLossReason(_ path: String, exists: Bool, end: Offset, acknowledged: Offset) -> String {
    exists
      ? "segment '\(path)' ends at offset \(end), but offsets up to \(acknowledged.value - 1) were acknowledged"
      : "segment '\(path)' is missing"
  }

  /// Whether a sealed segment of the record is on disk to be loaded: a swap compaction
  /// was doing is settled first; a segment that is missing has its offsets noted lost.
  private func isThere(
    _ entry: inout PartitionRecord.Sealed, present: Set<Offset>, record: inout PartitionRecord
  ) -> Bool {
    if settleCleaning(&entry, exists: present.contains(entry.base)) == .removed { return false }
    guard present.contains(entry.base) else {
      if entry.base < entry.end {
        let path = LogPath.join(directory, SegmentName.log(entry.base))
        record.noteLost(.init(offsets: entry.base..<entry.end, reason: "segment '\(path)' is missing"))
      }
      return false
    }
    return true
  }

  private enum Cleaning { case settled, removed }

  /// A segment compaction was swapping when the process stopped: whichever of the old
  /// and the new file is there is whole (the rename is atomic).
  private func settleCleaning(_ entry: inout PartitionRecord.Sealed, exists: Bool) -> Cleaning {
    guard let cleaning = entry.cleaning else { return .settled }
    if !exists, cleaning == 0 { return .removed }
    if exists, let size = try? fileSize(LogPath.join(directory, SegmentName.log(entry.base))), size == cleaning {
      entry.bytes = cleaning
    }
    entry.cleaning = nil
    return .settled
  }

  /// A sealed segment against the size it was sealed with: shorter lost its tail.
  private func compare(
    _ segment: SegmentSnapshot, with entry: inout PartitionRecord.Sealed, in record: inout PartitionRecord
  ) {
    if segment.committedBytes < entry.bytes {
      if segment.nextOffset < entry.end {
        record.noteLost(
          .init(
            offsets: segment.nextOffset..<entry.end,
            reason:
              "segment '\(segment.logPath)' holds \(segment.committedBytes) of the \(entry.bytes) bytes it was sealed with"
          ))
      }
      entry.bytes = segment.committedBytes
    } else if segment.committedBytes > entry.bytes {
      record.noteReport(
        at: entry.base,
        "segment '\(segment.logPath)' grew from \(entry.bytes) to \(segment.committedBytes) bytes after it was sealed")
      entry.bytes = segment.committedBytes
    }
  }

  private func strayPaths(_ record: PartitionRecord, bases: [Offset]) -> [String] {
    let known = Set(record.sealed.map(\.base)).union([record.active])
    return bases.filter { $0 >= record.start && !known.contains($0) }.map {
      LogPath.join(directory, SegmentName.log($0))
    }
  }
}

extension SegmentName {
  /// Removes a segment's files, the log first: an index left behind by a crash is an
  /// orphan the next open removes, never an index without its data.
  static func removeFiles(of base: Offset, in directory: String, io: any FileIO) throws(FileIOError) {
    for name in [log(base), index(base), timeIndex(base)] {
      let path = LogPath.join(directory, name)
      if io.kind(of: path) != nil { try io.remove(path) }
    }
  }
}
