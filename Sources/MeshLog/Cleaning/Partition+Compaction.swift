/// What a compaction pass did.
public struct CompactionResult: Hashable, Sendable {
  public var cleanedSegments: Int
  public var removedRecords: Int
  public var removedBytes: Int64
  /// Segments left as they were because a batch in them is damaged.
  public var damaged: [CorruptBatch]
}

/// Log compaction: keep only the latest record per key in the closed segments.
///
/// 1. Map every key to its latest offset, reading the whole partition (closed and active
///    segments).
/// 2. Rewrite each closed segment that holds a superseded record, or a tombstone older
///    than `delete.retention.ms`, into `<base>.log.cleaned` with fresh sealed indexes.
///    Records keep their offsets (gaps are normal), timestamps and headers; batches with
///    nothing removed are copied byte for byte.
/// 3. Sync the cleaned files, then swap them in by renames (indexes removed first, the
///    log renamed over the old one, the new indexes renamed in), sync the directory, and
///    publish the new segment list.
///
/// The writer keeps appending to the active segment meanwhile, and readers that hold
/// the old files keep reading them. A crash at any step leaves the old segment, or the
/// new one with indexes that the next open rebuilds if they are missing.
extension Partition {
  @discardableResult
  public func compact() throws(LogError) -> CompactionResult {
    guard isWritable else { throw .readOnly(topic: topic) }
    return try cleaning.withLock { _ throws(LogError) -> CompactionResult in
      var result = CompactionResult(cleanedSegments: 0, removedRecords: 0, removedBytes: 0, damaged: [])
      let snapshot = snapshot()
      guard !snapshot.closed.isEmpty else { return result }
      let latest = try latestOffsets()
      let tombstoneCutoff = TopicConfig.cutoff(config.tombstoneRetention, now: clock.now()) ?? Int64.min
      var replacements: [Offset: SegmentSnapshot?] = [:]
      for segment in snapshot.closed {
        do throws(FileIOError) {
          switch try clean(segment, latest: latest, tombstoneCutoff: tombstoneCutoff) {
          case .unchanged: break
          case .damaged(let damage): result.damaged.append(damage)
          case .cleaned(let replacement, let removedRecords):
            result.cleanedSegments += 1
            result.removedRecords += removedRecords
            result.removedBytes += segment.committedBytes - (replacement?.committedBytes ?? 0)
            replacements[segment.baseOffset] = replacement
          }
        } catch {
          throw .io(error)
        }
      }
      if !replacements.isEmpty {
        do throws(FileIOError) {
          try io.syncDirectory(directory)
        } catch {
          throw .io(error)
        }
        publish { state in
          state.closed = state.closed.compactMap { segment in
            guard let replacement = replacements[segment.baseOffset] else { return segment }
            return replacement
          }
        }
      }
      return result
    }
  }

  /// Every key's latest offset in the partition.
  private func latestOffsets() throws(LogError) -> [[UInt8]: Offset] {
    var latest: [[UInt8]: Offset] = [:]
    let reader = try reader(from: startOffset, clamp: true)
    reader.skipsLost = true
    try reader.forEachRecord { record in
      if let key = record.key { latest[Array(key)] = record.offset }
      return true
    }
    return latest
  }

  private enum Cleaning {
    case unchanged
    case damaged(CorruptBatch)
    /// The replacement segment, or nil when nothing remains of it.
    case cleaned(SegmentSnapshot?, removedRecords: Int)
  }

  private func clean(
    _ segment: SegmentSnapshot, latest: [[UInt8]: Offset], tombstoneCutoff: Int64
  ) throws(FileIOError) -> Cleaning {
    let base = segment.baseOffset
    let source = try io.open(segment.logPath, .readOnly)
    defer { io.close(source) }
    let size = try io.size(source)
    func keep(_ record: RecordView) -> Bool {
      guard let key = record.key else { return true }
      guard latest[Array(key)] == record.offset else { return false }
      return record.value != nil || record.timestamp >= tombstoneCutoff
    }
    // First pass: is there anything to remove?
    var removable = 0
    let scanner = BatchScanner(io: io, handle: source, limit: size)
    var expected = base
    while true {
      let position = scanner.position
      switch try scanner.next(expectedAtLeast: expected) {
      case .end:
        break
      case .damaged(let reason, _):
        return .damaged(
          CorruptBatch(
            topic: topic, partition: id, segment: segment.logPath, offset: expected, position: position, reason: reason)
        )
      case .batch(let header, let bytes):
        expected = header.nextOffset
        do {
          try BatchView(header: header, bytes: bytes).forEachRecord { record in
            if !keep(record) { removable += 1 }
            return true
          }
        } catch {
          return .damaged(
            CorruptBatch(
              topic: topic, partition: id, segment: segment.logPath, offset: header.baseOffset, position: position,
              reason: .malformedRecord(String(describing: error))))
        }
        continue
      }
      break
    }
    guard removable > 0 else { return .unchanged }

    // Second pass: write the cleaned copy.
    let cleanedLog = segment.logPath + SegmentName.cleanedSuffix
    let offsetPath = LogPath.join(directory, SegmentName.index(base))
    let timePath = LogPath.join(directory, SegmentName.timeIndex(base))
    if io.kind(of: cleanedLog) != nil { try io.remove(cleanedLog) }
    let target = try io.open(cleanedLog, .createNew)
    var targetOpen = true
    defer { if targetOpen { io.close(target) } }
    let index = MemoryIndex(baseOffset: base)
    var builder = IndexBuilder(interval: config.indexIntervalBytes)
    let buffer = WriteBuffer()
    var written: Int64 = 0
    scanner.position = 0
    expected = base
    loop: while true {
      switch try scanner.next(expectedAtLeast: expected) {
      case .end, .damaged:
        break loop
      case .batch(let header, let bytes):
        expected = header.nextOffset
        var kept: [StoredRecord] = []
        var dropped = false
        try? BatchView(header: header, bytes: bytes).forEachRecord { record in
          if keep(record) { kept.append(try record.stored()) } else { dropped = true }
          return true
        }
        guard !kept.isEmpty else { continue loop }
        let output: UnsafeRawBufferPointer
        if dropped {
          output = buffer.bytes(BatchFormat.encode(kept, into: buffer))
        } else {
          output = bytes
        }
        guard let writtenHeader = BatchHeader(output) else { continue loop }
        builder.add(writtenHeader, at: written, to: index)
        try io.write(target, output, at: written)
        written += Int64(output.count)
      }
    }
    try io.sync(target)
    io.close(target)
    targetOpen = false

    guard written > 0 else {
      // Nothing left: the segment goes away entirely (the record says so first, so that
      // its absence is not taken for a loss).
      try io.remove(cleanedLog)
      try markCleaning(base, newSize: 0)
      try removeSegmentFiles(base)
      try updateRecord { $0.sealed.removeAll { $0.base == base } }
      return .cleaned(nil, removedRecords: removable)
    }
    let seal = IndexFile.Seal(
      logBytes: written, nextOffset: segment.nextOffset, maxTimestamp: builder.maxTimestamp, entryCount: index.count)
    let cleanedOffsetIndex = offsetPath + SegmentName.cleanedSuffix
    let cleanedTimeIndex = timePath + SegmentName.cleanedSuffix
    try writeSynced(IndexFile.sealed(.offset, seal: seal, entries: index.encoded(.offset)), to: cleanedOffsetIndex)
    try writeSynced(IndexFile.sealed(.time, seal: seal, entries: index.encoded(.time)), to: cleanedTimeIndex)
    // The swap. Removing the old indexes first means no moment pairs an old index with
    // the new log (and the sealed size would expose such a pair anyway).
    // The record first allows either size, then settles on the new one.
    try markCleaning(base, newSize: written)
    for path in [offsetPath, timePath] where io.kind(of: path) != nil { try io.remove(path) }
    try io.rename(cleanedLog, to: segment.logPath)
    try io.rename(cleanedOffsetIndex, to: offsetPath)
    try io.rename(cleanedTimeIndex, to: timePath)
    try updateRecord { record in
      for index in record.sealed.indices where record.sealed[index].base == base {
        record.sealed[index].bytes = written
        record.sealed[index].cleaning = nil
      }
    }
    let replacement = SegmentSnapshot(
      baseOffset: base, logPath: segment.logPath, isActive: false, committedBytes: written,
      nextOffset: segment.nextOffset, maxTimestamp: builder.maxTimestamp,
      index: FileIndex(baseOffset: base, offsetPath: offsetPath, timePath: timePath, io: io), damage: nil)
    return .cleaned(replacement, removedRecords: removable)
  }

  /// Records that compaction is swapping in a copy of `newSize` bytes (0: removing it).
  private func markCleaning(_ base: Offset, newSize: Int64) throws(FileIOError) {
    try updateRecord { record in
      for index in record.sealed.indices where record.sealed[index].base == base {
        record.sealed[index].cleaning = newSize
      }
    }
  }

  private func writeSynced(_ bytes: [UInt8], to path: String) throws(FileIOError) {
    if io.kind(of: path) != nil { try io.remove(path) }
    let handle = try io.open(path, .createNew)
    defer { io.close(handle) }
    try io.write(handle, bytes, at: 0)
    try io.sync(handle)
  }
}
