/// Opening a partition: find its segments, trust what was sealed, verify what was not,
/// recover the tail.
///
/// Recovery rules (see docs/log.md, "Durability"):
/// - Closed segments were synced and their indexes sealed when they rolled; a sealed
///   index whose header matches the log's size and checksum is trusted, anything else is
///   rebuilt by scanning the segment. Closed segments are never truncated.
/// - The last segment, unless it was sealed by a clean close, is scanned from its start,
///   every batch checksummed. At the first bad batch: if it is whole and a valid batch
///   follows it, it is damage in the middle of the segment — kept, remembered and
///   reported to readers that reach it; otherwise it is a torn write and the file is
///   truncated there (only unacknowledged appends can be torn).
/// - Leftovers of interrupted work (`*.cleaned`, `*.deleted`, `*.tmp`, indexes without a
///   log) are removed; other unknown files are left alone.
/// - Which segments there should be, and how far appends got, comes from the partition
///   record (`SegmentLoader+Record.swift`): what the disk lacks is reported as lost.
extension Partition {
  static func open(
    topic: String, id: Int, config: TopicConfig, directory: String, io: any FileIO, clock: any LogClock,
    writable: Bool, repairing: Bool = false
  ) throws(LogError) -> Partition {
    let loader = SegmentLoader(topic: topic, partition: id, config: config, directory: directory, io: io)
    if writable {
      let loaded = try loader.loadWritable(repairing: repairing)
      do throws(FileIOError) {
        let active = loaded.active
        var writer = try PartitionWriter(segment: active, directory: directory, io: io)
        try writer.writeHighWatermark(io: io)
        if case .everyBatch = config.fsync {
        } else {
          // Recovery just verified (or truncated) the whole tail: it is all on disk now.
          try io.sync(active.log)
          var bytes = [UInt8](repeating: 0, count: HighWatermark.size)
          HighWatermark.encode(active.nextOffset, into: &bytes)
          try io.writeAtomically(bytes, to: LogPath.join(directory, Partition.recoveryPointFileName))
        }
        var snapshot = PartitionSnapshot(closed: loaded.closed, active: active.snapshot(damage: loaded.damage))
        snapshot.strays = loaded.strays
        writer.activeDamage = loaded.damage
        writer.tailLoss = loaded.tailLoss
        writer.rebuiltRecord = loaded.rebuilt
        let partition = Partition(
          topic: topic, id: id, config: config, directory: directory, io: io, clock: clock, snapshot: snapshot,
          writer: writer, record: loaded.record)
        return partition
      } catch {
        throw .io(error)
      }
    }
    do throws(FileIOError) {
      let snapshot = try loader.loadReadOnly(previous: nil)
      return Partition(
        topic: topic, id: id, config: config, directory: directory, io: io, clock: clock, snapshot: snapshot,
        writer: nil, record: nil)
    } catch {
      throw .io(error)
    }
  }

  /// Rereads the disk to see what another process appended. Only read-only partitions
  /// need it (a writable one knows its own appends); failures keep the old snapshot.
  public func refresh() {
    guard !isWritable else { return }
    let loader = SegmentLoader(topic: topic, partition: id, config: config, directory: directory, io: io)
    let previous = snapshot()
    guard let fresh = try? loader.loadReadOnly(previous: previous) else { return }
    if fresh.endOffset != previous.endOffset || fresh.startOffset != previous.startOffset
      || fresh.segmentCount != previous.segmentCount || fresh.lost != previous.lost
      || fresh.pastDamage != previous.pastDamage || fresh.strays != previous.strays
    {
      publish { $0 = fresh }
    }
  }
}

/// Finds and verifies the segments of one partition directory.
struct SegmentLoader {
  let topic: String
  let partition: Int
  let config: TopicConfig
  let directory: String
  let io: any FileIO

  /// The outcome of scanning one segment file.
  struct Scan {
    var index: MemoryIndex
    var builder: IndexBuilder
    var nextOffset: Offset
    /// Bytes of whole batches (where a torn tail begins).
    var validBytes: Int64
    var damage: CorruptBatch?
  }

  func segmentBases(cleanUp: Bool) throws(FileIOError) -> [Offset] {
    let names = try io.contents(ofDirectory: directory)
    var bases: [Offset] = []
    var logStems = Set<Substring>()
    for name in names {
      if let base = SegmentName.baseOffset(ofLog: name), io.kind(of: LogPath.join(directory, name)) == .file {
        bases.append(base)
        logStems.insert(name.dropLast(SegmentName.logExtension.count))
      }
    }
    if cleanUp {
      for name in names {
        let path = LogPath.join(directory, name)
        let leftover =
          name.hasSuffix(SegmentName.cleanedSuffix) || name.hasSuffix(SegmentName.deletedSuffix)
          || name.hasSuffix(".tmp")
        var orphanIndex = false
        for suffix in [SegmentName.indexExtension, SegmentName.timeIndexExtension] where name.hasSuffix(suffix) {
          let stem = name.dropLast(suffix.count)
          orphanIndex = SegmentName.baseOffset(ofStem: stem) != nil && !logStems.contains(stem)
        }
        if (leftover || orphanIndex), io.kind(of: path) == .file { try io.remove(path) }
      }
    }
    return bases.sorted()
  }

  func fileSize(_ path: String) throws(FileIOError) -> Int64 {
    let handle = try io.open(path, .readOnly)
    defer { io.close(handle) }
    return try io.size(handle)
  }

  /// Scans a segment from `start` (a batch boundary) to `limit`, checksumming every
  /// batch. Damage followed by a valid batch is stepped over and remembered; damage at
  /// the tail ends the scan (`validBytes` says where).
  func scan(
    path: String, base: Offset, limit: Int64, start: IndexPoint? = nil, index: MemoryIndex? = nil,
    builder: IndexBuilder? = nil, stopAt endHint: Offset? = nil, unsyncedFrom: Offset? = nil
  ) throws(FileIOError) -> Scan {
    let handle = try io.open(path, .readOnly)
    defer { io.close(handle) }
    let index = index ?? MemoryIndex(baseOffset: base)
    var builder = builder ?? IndexBuilder(interval: config.indexIntervalBytes)
    let scanner = BatchScanner(io: io, handle: handle, limit: limit, position: start?.position ?? 0)
    var expected = start?.offset ?? base
    var damage: CorruptBatch?
    loop: while true {
      let position = scanner.position
      switch try scanner.next(expectedAtLeast: expected) {
      case .batch(let header, _):
        if let endHint, header.baseOffset >= endHint {
          scanner.position = position
          break loop
        }
        builder.add(header, at: position, to: index)
        expected = header.nextOffset
      case .end:
        break loop
      case .damaged(let reason, let size):
        // Past the recovery point nothing was promised to be on disk, and writes may
        // have reached it in any order: the first bad batch ends the log there.
        if let unsyncedFrom, expected >= unsyncedFrom { break loop }
        if let size, position + Int64(size) < limit,
          scanner.validBatch(at: position + Int64(size), expectedAtLeast: expected)
        {
          if damage == nil {
            damage = CorruptBatch(
              topic: topic, partition: partition, segment: path, offset: expected, position: position, reason: reason)
          }
          scanner.position = position + Int64(size)
          builder.bytesSinceEntry += size
          continue loop
        }
        break loop
      }
    }
    return Scan(index: index, builder: builder, nextOffset: expected, validBytes: scanner.position, damage: damage)
  }

  /// A closed segment: trusted through its sealed indexes, or scanned (and, when
  /// `rewriteIndexes`, given fresh sealed indexes).
  func loadClosed(base: Offset, rewriteIndexes: Bool) throws(FileIOError) -> SegmentSnapshot {
    let logPath = LogPath.join(directory, SegmentName.log(base))
    let offsetPath = LogPath.join(directory, SegmentName.index(base))
    let timePath = LogPath.join(directory, SegmentName.timeIndex(base))
    let size = try fileSize(logPath)
    if let seal = IndexFile.readSeal(.offset, io: io, path: offsetPath, logBytes: size),
      let timeSeal = IndexFile.readSeal(.time, io: io, path: timePath, logBytes: size), seal == timeSeal
    {
      return SegmentSnapshot(
        baseOffset: base, logPath: logPath, isActive: false, committedBytes: size, nextOffset: seal.nextOffset,
        maxTimestamp: seal.maxTimestamp,
        index: FileIndex(baseOffset: base, offsetPath: offsetPath, timePath: timePath, io: io),
        damage: nil)
    }
    let scan = try scan(path: logPath, base: base, limit: size)
    var damage = scan.damage
    if damage == nil, scan.validBytes < size {
      // A closed segment is never truncated: a bad tail is damage, reported to readers.
      damage = tailDamage(path: logPath, at: scan.validBytes, expected: scan.nextOffset, limit: size)
    }
    var index: any SegmentIndex = scan.index
    if rewriteIndexes {
      let seal = IndexFile.Seal(
        logBytes: size, nextOffset: scan.nextOffset, maxTimestamp: scan.builder.maxTimestamp,
        entryCount: scan.index.count)
      try io.writeAtomically(
        IndexFile.sealed(.offset, seal: seal, entries: scan.index.encoded(.offset)), to: offsetPath)
      try io.writeAtomically(IndexFile.sealed(.time, seal: seal, entries: scan.index.encoded(.time)), to: timePath)
      index = FileIndex(baseOffset: base, offsetPath: offsetPath, timePath: timePath, io: io)
    }
    return SegmentSnapshot(
      baseOffset: base, logPath: logPath, isActive: false, committedBytes: size, nextOffset: scan.nextOffset,
      maxTimestamp: scan.builder.maxTimestamp, index: index, damage: damage)
  }

  private func tailDamage(path: String, at position: Int64, expected: Offset, limit: Int64) -> CorruptBatch {
    var reason = CorruptBatch.Reason.truncated(needed: Int64(BatchFormat.headerSize), available: limit - position)
    if let handle = try? io.open(path, .readOnly) {
      defer { io.close(handle) }
      let scanner = BatchScanner(io: io, handle: handle, limit: limit, position: position)
      if case .damaged(let found, _) = (try? scanner.next(expectedAtLeast: expected)) ?? .end { reason = found }
    }
    return CorruptBatch(
      topic: topic, partition: partition, segment: path, offset: expected, position: position, reason: reason)
  }

  /// The last segment, ready for appends.
  func recoverActive(base: Offset) throws(FileIOError) -> (ActiveSegment, CorruptBatch?) {
    let logPath = LogPath.join(directory, SegmentName.log(base))
    let offsetPath = LogPath.join(directory, SegmentName.index(base))
    let timePath = LogPath.join(directory, SegmentName.timeIndex(base))
    let log = try io.open(logPath, .readWrite)
    var handles = [log]
    do {
      let size = try io.size(log)
      var index: MemoryIndex
      var builder: IndexBuilder
      var nextOffset: Offset
      var damage: CorruptBatch?
      var validBytes = size
      let sealed = IndexFile.readSeal(.offset, io: io, path: offsetPath, logBytes: size)
      if let seal = sealed, IndexFile.readSeal(.time, io: io, path: timePath, logBytes: size) == seal,
        let offsetEntries = IndexFile.readEntries(.offset, io: io, path: offsetPath, limit: Int.max),
        let timeEntries = IndexFile.readEntries(.time, io: io, path: timePath, limit: Int.max)
      {
        // Closed cleanly: trust the seal.
        index = MemoryIndex.decode(
          baseOffset: base, offsetEntries: offsetEntries, timeEntries: timeEntries, logBytes: size)
        let lastPosition = index.last?.position ?? 0
        builder = IndexBuilder(
          interval: config.indexIntervalBytes, bytesSinceEntry: Int(size - lastPosition),
          maxTimestamp: seal.maxTimestamp)
        nextOffset = seal.nextOffset
      } else {
        let scan = try scan(path: logPath, base: base, limit: size, unsyncedFrom: recoveryPoint())
        index = scan.index
        builder = scan.builder
        nextOffset = scan.nextOffset
        damage = scan.damage
        validBytes = scan.validBytes
        if validBytes < size {
          try io.truncate(log, to: validBytes)
          try io.sync(log)
        }
      }
      let offsetFile = try io.open(offsetPath, .create)
      handles.append(offsetFile)
      let timeFile = try io.open(timePath, .create)
      handles.append(timeFile)
      var segment = ActiveSegment(
        baseOffset: base, logPath: logPath, offsetIndexPath: offsetPath, timeIndexPath: timePath, log: log,
        offsetIndexFile: offsetFile, timeIndexFile: timeFile, size: validBytes, nextOffset: nextOffset, index: index,
        builder: builder, persistedEntries: 0, rollClockStart: nil)
      // Rewrite the index files to match what was just verified (a sealed header would
      // otherwise claim a log size that the next append changes).
      try ActiveSegment.resetIndexFile(offsetFile, kind: .offset, io: io)
      try ActiveSegment.resetIndexFile(timeFile, kind: .time, io: io)
      try segment.persistIndexEntries(io: io)
      if validBytes > 0 { segment.rollClockStart = try firstBatchMaxTimestamp(log) }
      return (segment, damage)
    } catch {
      for handle in handles { io.close(handle) }
      throw error
    }
  }

  /// Where synced data ends, as far as the recovery point file knows. Under
  /// `fsync=batch` only the last batch can be unsynced, so the rule of `scan` (damage is
  /// what a valid batch follows) applies everywhere and no recovery point is used.
  private func recoveryPoint() -> Offset? {
    if case .everyBatch = config.fsync { return nil }
    return HighWatermark.read(io: io, path: LogPath.join(directory, Partition.recoveryPointFileName)) ?? Offset(0)
  }

  private func firstBatchMaxTimestamp(_ handle: IOHandle) throws(FileIOError) -> Int64? {
    var header = [UInt8](repeating: 0, count: BatchFormat.headerSize)
    let count = try io.readFully(handle, into: &header, at: 0)
    guard count == header.count else { return nil }
    return header.withUnsafeBytes { BatchHeader($0)?.maxTimestamp }
  }

  /// The last segment as a reader in another process sees it: scanned from where the
  /// previous look ended, or its last index entry that checks out, to `cap` (the
  /// writer's high watermark, while there is a writer).
  func readActive(base: Offset, previous: SegmentSnapshot?, cap hint: Offset?) throws(FileIOError) -> SegmentSnapshot {
    let logPath = LogPath.join(directory, SegmentName.log(base))
    let offsetPath = LogPath.join(directory, SegmentName.index(base))
    let timePath = LogPath.join(directory, SegmentName.timeIndex(base))
    let size = try fileSize(logPath)
    if let seal = IndexFile.readSeal(.offset, io: io, path: offsetPath, logBytes: size),
      IndexFile.readSeal(.time, io: io, path: timePath, logBytes: size) == seal,
      hint.map({ $0 >= seal.nextOffset }) ?? true
    {
      return SegmentSnapshot(
        baseOffset: base, logPath: logPath, isActive: true, committedBytes: size, nextOffset: seal.nextOffset,
        maxTimestamp: seal.maxTimestamp,
        index: FileIndex(baseOffset: base, offsetPath: offsetPath, timePath: timePath, io: io),
        damage: nil)
    }
    // Continue from where the previous look ended, or from the last index entry that
    // checks out against the log.
    if let previous, previous.baseOffset == base, previous.committedBytes <= size,
      let index = previous.index as? MemoryIndex
    {
      let lastPosition = index.last?.position ?? 0
      let builder = IndexBuilder(
        interval: config.indexIntervalBytes, bytesSinceEntry: Int(previous.committedBytes - lastPosition),
        maxTimestamp: previous.maxTimestamp)
      let scan = try scan(
        path: logPath, base: base, limit: size,
        start: IndexPoint(offset: previous.nextOffset, position: previous.committedBytes),
        index: index, builder: builder, stopAt: hint)
      return SegmentSnapshot(
        baseOffset: base, logPath: logPath, isActive: true, committedBytes: scan.validBytes,
        nextOffset: scan.nextOffset,
        maxTimestamp: scan.builder.maxTimestamp, index: index, damage: previous.damage ?? scan.damage)
    }
    var index = MemoryIndex(baseOffset: base)
    var start: IndexPoint?
    var builder = IndexBuilder(interval: config.indexIntervalBytes)
    if let offsetEntries = IndexFile.readEntries(.offset, io: io, path: offsetPath, limit: 64 << 20),
      let timeEntries = IndexFile.readEntries(.time, io: io, path: timePath, limit: 96 << 20)
    {
      let decoded = MemoryIndex.decode(
        baseOffset: base, offsetEntries: offsetEntries, timeEntries: timeEntries, logBytes: size)
      if let last = decoded.last, verifies(last, path: logPath, limit: size) {
        index = decoded
        start = last
        builder = IndexBuilder(interval: config.indexIntervalBytes, bytesSinceEntry: 0, maxTimestamp: .min)
      }
    }
    if let start {
      // The index's last entry starts a batch: rebuild only the tail. The segment's
      // largest timestamp before it comes from the time index.
      let scan = try scan(
        path: logPath, base: base, limit: size, start: start, index: index, builder: builder, stopAt: hint)
      return SegmentSnapshot(
        baseOffset: base, logPath: logPath, isActive: true, committedBytes: scan.validBytes,
        nextOffset: scan.nextOffset,
        maxTimestamp: max(scan.builder.maxTimestamp, index.maxTimestampBeforeLast), index: index, damage: scan.damage)
    }
    let scan = try scan(path: logPath, base: base, limit: size, stopAt: hint)
    return SegmentSnapshot(
      baseOffset: base, logPath: logPath, isActive: true, committedBytes: scan.validBytes, nextOffset: scan.nextOffset,
      maxTimestamp: scan.builder.maxTimestamp, index: scan.index, damage: scan.damage)
  }

  /// Whether a valid batch with the entry's base offset starts at the entry's position.
  private func verifies(_ point: IndexPoint, path: String, limit: Int64) -> Bool {
    guard let handle = try? io.open(path, .readOnly) else { return false }
    defer { io.close(handle) }
    let scanner = BatchScanner(
      io: io, handle: handle, limit: limit, position: point.position, buffer: ReadBuffer(minimumRead: 4096))
    if case .batch(let header, _) = (try? scanner.next(expectedAtLeast: point.offset)) ?? .end {
      return header.baseOffset == point.offset
    }
    return false
  }
}
