/// The write path: encode a batch into the writer's buffer, roll the segment when the
/// batch would overflow it (or it is too old), write it with one positional write,
/// sync as the topic's policy says, then publish the new snapshot. Offsets are returned
/// only after all of that: an append that throws was not acknowledged.
extension Partition {
  /// Appends `records` in order with consecutive offsets and returns them once the
  /// topic's fsync policy is met. Records beyond `BatchFormat.maxBatchBytes` in total go
  /// in several batches (each checksummed and recovered on its own).
  @discardableResult
  public func append(_ records: some Collection<Record>) throws(LogError) -> Range<Offset> {
    // One generic step at the door; everything after works on contiguous memory.
    let outcome = records.withContiguousStorageIfAvailable { buffer in
      Result { () throws(LogError) -> Range<Offset> in try appendContiguous(buffer) }
    }
    if let outcome { return try outcome.get() }
    let array = Array(records)
    return try array.withUnsafeBufferPointer { buffer in
      Result { () throws(LogError) -> Range<Offset> in try appendContiguous(buffer) }
    }.get()
  }

  private func appendContiguous(_ records: UnsafeBufferPointer<Record>) throws(LogError) -> Range<Offset> {
    if config.cleanupPolicy == .compact, records.contains(where: { $0.key == nil }) {
      throw .missingKey(topic: topic)
    }
    let now = clock.now()
    return try withWriter { (writer) throws(LogError) -> Range<Offset> in
      if let loss = writer.tailLoss { throw .appendsRefused(loss) }
      let first = writer.segment.nextOffset
      guard !records.isEmpty else { return first..<first }
      let (end, overflow) = first.value.addingReportingOverflow(Int64(records.count))
      guard !overflow, end < Int64.max else { throw .offsetsExhausted(topic: topic, partition: id, next: first) }
      let limit = BatchFormat.maxBatchBytes
      // A record must fit a batch on its own; only records near the limit pay for the exact size.
      for record in records
      where !record.headers.isEmpty || (record.key?.count ?? 0) + (record.value?.count ?? 0) > limit / 2 {
        let size = BatchFormat.headerSize + BatchFormat.encodedSize(of: record)
        if size > limit { throw .recordTooLarge(topic: topic, partition: id, bytes: size, limit: limit) }
      }
      let previousSize = writer.segment.size
      let previousBase = writer.segment.baseOffset
      do throws(FileIOError) {
        var start = 0
        while start < records.count {
          start += try appendBatch(records, from: start, now: now, writer: &writer)
        }
        try syncIfDue(&writer)
        if writer.segment.index.count - writer.segment.persistedEntries >= 32 {
          try writer.segment.persistIndexEntries(io: io)
        }
      } catch {
        // Nothing of this append is acknowledged: take back what reached the active
        // segment if the disk allows (recovery would keep whole batches otherwise).
        writer.failure = error
        try? io.truncate(writer.segment.log, to: writer.segment.baseOffset == previousBase ? previousSize : 0)
        throw LogError.writerFailed(topic: topic, partition: id, cause: error)
      }
      writer.buffer.shrinkIfLarge()
      publish { $0.active = writer.segment.snapshot(damage: writer.activeDamage) }
      try? writer.writeHighWatermark(io: io)
      return first..<writer.segment.nextOffset
    }
  }

  /// Runs `body` with the writer, failing when the partition is read-only, closed or
  /// failed.
  func withWriter<R: Sendable>(_ body: (inout PartitionWriter) throws(LogError) -> R) throws(LogError) -> R {
    try writer.withLock { (slot) throws(LogError) -> R in
      guard var current = slot.take() else { throw isWritable ? LogError.closed : .readOnly(topic: topic) }
      defer { slot = current }
      if let failure = current.failure { throw .writerFailed(topic: topic, partition: id, cause: failure) }
      return try body(&current)
    }
  }

  /// Encodes and writes one batch of records from `start` on; returns how many it took.
  private func appendBatch(
    _ records: UnsafeBufferPointer<Record>, from start: Int, now: Int64, writer: inout PartitionWriter
  ) throws(FileIOError) -> Int {
    let (size, count) = BatchFormat.encode(
      records, from: start, baseOffset: writer.segment.nextOffset, defaultTimestamp: now,
      limit: BatchFormat.maxBatchBytes, into: writer.buffer)
    if shouldRoll(writer.segment, incoming: size, now: now) {
      try roll(&writer)
    }
    let bytes = writer.buffer.bytes(size)
    guard let header = BatchHeader(bytes) else { return count }
    let position = writer.segment.size
    try io.write(writer.segment.log, bytes, at: position)
    writer.segment.builder.add(header, at: position, to: writer.segment.index)
    writer.segment.size += Int64(size)
    writer.segment.nextOffset = header.nextOffset
    if writer.segment.rollClockStart == nil { writer.segment.rollClockStart = now }
    writer.hasUnsyncedData = true
    return count
  }

  private func shouldRoll(_ segment: ActiveSegment, incoming: Int, now: Int64) -> Bool {
    guard segment.size > 0 else { return false }
    if segment.size + Int64(incoming) > config.segmentBytes.value { return true }
    // The roll clock may start at a forged or far-off timestamp: an age that does not fit
    // Int64 is old enough.
    if let segmentMs = config.segmentMs, let start = segment.rollClockStart {
      let (age, overflow) = now.subtractingReportingOverflow(start)
      if overflow ? now > start : age >= segmentMs { return true }
    }
    return false
  }

  private func syncIfDue(_ writer: inout PartitionWriter) throws(FileIOError) {
    switch config.fsync {
    case .everyBatch:
      try sync(&writer)
    case .interval, .none:
      // Acknowledged without waiting for the disk; `IntervalFlusher` syncs `interval`
      // topics in the background, outside the writer lock.
      break
    }
  }

  private func sync(_ writer: inout PartitionWriter) throws(FileIOError) {
    guard writer.hasUnsyncedData else { return }
    try io.sync(writer.segment.log)
    writer.hasUnsyncedData = false
    writer.lastSyncMilliseconds = MonotonicClock.milliseconds()
    if case .everyBatch = config.fsync { return }
    try writeRecoveryPoint(writer.segment.nextOffset)
  }

  /// Records that everything before `offset` is on disk (see `SegmentLoader.scan`).
  /// Used by `fsync=interval` and `none`, whose syncs are rare enough to afford it.
  func writeRecoveryPoint(_ offset: Offset) throws(FileIOError) {
    try recoveryPoint.withLock { (written) throws(FileIOError) in
      if let written, written >= offset { return }
      var bytes = [UInt8](repeating: 0, count: HighWatermark.size)
      HighWatermark.encode(offset, into: &bytes)
      try io.writeAtomically(bytes, to: LogPath.join(directory, Partition.recoveryPointFileName))
      written = offset
    }
  }

  /// Seals the active segment (synced, sealed indexes) and starts a new one at the end
  /// offset.
  func roll(_ writer: inout PartitionWriter) throws(FileIOError) {
    try writer.segment.seal(io: io)
    let old = writer.segment
    // Recorded before the new file exists: a crash in between leaves a record whose
    // active segment is missing but held nothing, which the next open creates.
    try updateRecord { record in
      record.sealed.append(.init(base: old.baseOffset, end: old.nextOffset, bytes: old.size, cleaning: nil))
      record.active = old.nextOffset
      record.acknowledged = max(record.acknowledged, old.nextOffset)
    }
    let closed = old.sealedSnapshot(io: io, damage: writer.activeDamage)
    let fresh = try ActiveSegment.create(
      directory: directory, baseOffset: old.nextOffset, indexInterval: config.indexIntervalBytes, io: io)
    old.close(io: io)
    writer.segment = fresh
    writer.activeDamage = nil
    writer.hasUnsyncedData = false
    if case .everyBatch = config.fsync {} else { try writeRecoveryPoint(fresh.baseOffset) }
    publish {
      $0.closed.append(closed)
      $0.active = fresh.snapshot()
    }
  }

  /// Closes the active segment and starts a new one, when the active one holds data.
  public func roll() throws(LogError) {
    try withWriter { (writer) throws(LogError) in
      guard writer.segment.size > 0 else { return }
      if let loss = writer.tailLoss { throw .appendsRefused(loss) }
      do throws(FileIOError) {
        try roll(&writer)
      } catch {
        writer.failure = error
        throw .writerFailed(topic: topic, partition: id, cause: error)
      }
    }
  }

  /// Syncs appended data now (for `fsync=interval` and `none`).
  public func flush() throws(LogError) {
    try withWriter { (writer) throws(LogError) in
      do throws(FileIOError) {
        try sync(&writer)
      } catch {
        writer.failure = error
        throw .writerFailed(topic: topic, partition: id, cause: error)
      }
    }
  }

  /// Syncs and seals the active segment so that the next open need not scan it, and
  /// releases the files. Further appends throw `closed`; readers keep their snapshots.
  public func close() throws(LogError) {
    let taken = writer.withLock { $0.take() }
    guard var current = taken else { return }
    defer { current.release(io: io) }
    guard current.failure == nil else { return }
    do throws(FileIOError) {
      try current.segment.seal(io: io)
      try current.writeHighWatermark(io: io)
      let end = current.segment.nextOffset
      try updateRecord { $0.acknowledged = max($0.acknowledged, end) }
      if case .everyBatch = config.fsync {} else { try writeRecoveryPoint(current.segment.nextOffset) }
    } catch {
      throw .io(error)
    }
  }
}
