/// The writer's state of a writable partition, kept under the partition's writer lock:
/// the active segment, the encode buffer, the sync clock and the failure latch.
struct PartitionWriter {
  var segment: ActiveSegment
  let buffer = WriteBuffer()
  /// Set by the first failed write or sync; the partition then refuses appends (the
  /// file's state is unknown) until it is reopened and recovered.
  var failure: FileIOError?
  /// Monotonic time of the last sync, for `fsync=interval`.
  var lastSyncMilliseconds: Int64
  var hasUnsyncedData = false
  let highWatermarkFile: IOHandle
  var highWatermarkBytes = [UInt8](repeating: 0, count: HighWatermark.size)
  /// Damage recovery found in the active segment (kept, see `SegmentLoader.scan`).
  var activeDamage: CorruptBatch?
  /// Acknowledged records recovery found missing at the end: appends are refused (they
  /// would reuse the offsets) until `Partition.repair` accepts the loss.
  var tailLoss: LostRecords?
  /// Why the open rebuilt the partition record from the files, when it did (repair).
  var rebuiltRecord: String?

  init(segment: ActiveSegment, directory: String, io: any FileIO) throws(FileIOError) {
    self.segment = segment
    highWatermarkFile = try io.open(LogPath.join(directory, HighWatermark.fileName), .create)
    lastSyncMilliseconds = MonotonicClock.milliseconds()
  }

  mutating func writeHighWatermark(io: any FileIO) throws(FileIOError) {
    HighWatermark.encode(segment.nextOffset, into: &highWatermarkBytes)
    try io.write(highWatermarkFile, highWatermarkBytes, at: 0)
  }

  func release(io: any FileIO) {
    segment.close(io: io)
    io.close(highWatermarkFile)
  }
}
