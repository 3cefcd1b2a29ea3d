import MeshBytes

/// How a topic keeps and syncs its data. Stored durably in the topic's `topic.conf`
/// (format in `TopicConfig+File.swift`); fixed when the topic is created.
public struct TopicConfig: Hashable, Sendable {
  /// When an append is acknowledged, relative to the disk.
  public enum FsyncPolicy: Hashable, Sendable {
    /// Every append is on disk (`fdatasync`) before it is acknowledged.
    case everyBatch
    /// Appends are acknowledged once written to the OS; a background thread of the topic
    /// (and any append that finds a sync due) syncs data older than the interval, and
    /// every roll and close syncs. A machine crash can lose about one interval of
    /// acknowledged records; a process crash cannot.
    case interval(milliseconds: Int64)
    /// Acknowledged once written to the OS; synced only at rolls and on close.
    case none
  }

  /// What happens to old records.
  public enum CleanupPolicy: String, Hashable, Sendable, CaseIterable {
    /// Whole segments are deleted by time and size retention.
    case delete
    /// Only the latest record per key is kept (tombstones expire after `tombstoneRetention`).
    case compact
  }

  public var partitions: Int
  /// Segments whose newest record is older than this are deleted.
  public var retention: Retention<TimeSpan>
  /// Per partition: the oldest segments are deleted while the partition is larger.
  public var retentionBytes: Retention<ByteCount>
  public var cleanupPolicy: CleanupPolicy
  /// A segment rolls when the next batch would make it larger than this.
  public var segmentBytes: ByteCount
  /// A segment rolls when its first batch is older than this; nil: never by age.
  public var segmentMs: Int64?
  public var fsync: FsyncPolicy
  /// How long a tombstone survives compaction, so that consumers see the deletion.
  public var tombstoneRetention: Retention<TimeSpan>
  /// Bytes of log between two sparse index entries.
  public var indexIntervalBytes: Int

  public static let day: Int64 = 86_400_000

  public init(
    partitions: Int = 1, retention: Retention<TimeSpan> = .limited(.days(7)),
    retentionBytes: Retention<ByteCount> = .infinite,
    cleanupPolicy: CleanupPolicy = .delete, segmentBytes: ByteCount = .gibibytes(1),
    segmentMs: Int64? = 7 * TopicConfig.day, fsync: FsyncPolicy = .everyBatch,
    tombstoneRetention: Retention<TimeSpan> = .limited(.days(1)), indexIntervalBytes: Int = 4096
  ) {
    self.partitions = partitions
    self.retention = retention
    self.retentionBytes = retentionBytes
    self.cleanupPolicy = cleanupPolicy
    self.segmentBytes = segmentBytes
    self.segmentMs = segmentMs
    self.fsync = fsync
    self.tombstoneRetention = tombstoneRetention
    self.indexIntervalBytes = indexIntervalBytes
  }

  public static let partitionLimit = 4096
  public static let segmentBytesRange: ClosedRange<Int64> = 100...(2 << 30)

  /// Throws `LogError.invalidConfig` for the first value out of range.
  public func validate() throws(LogError) {
    guard (1...TopicConfig.partitionLimit).contains(partitions) else {
      throw .invalidConfig(
        field: "partitions", reason: "expected 1 to \(TopicConfig.partitionLimit), found \(partitions)")
    }
    if let limit = retention.limit, limit.milliseconds <= 0 {
      throw .invalidConfig(field: "retention", reason: "expected a positive duration or 'infinite'")
    }
    if let limit = retentionBytes.limit, limit.value <= 0 {
      throw .invalidConfig(field: "retention bytes", reason: "expected a positive size or 'infinite'")
    }
    guard TopicConfig.segmentBytesRange.contains(segmentBytes.value) else {
      throw .invalidConfig(
        field: "segment size",
        reason: "expected \(TopicConfig.segmentBytesRange.lowerBound) bytes to 2 GiB, found \(segmentBytes.value) bytes"
      )
    }
    if let segmentMs, segmentMs <= 0 {
      throw .invalidConfig(field: "segment time", reason: "expected a positive duration or 'infinite'")
    }
    if case .interval(let milliseconds) = fsync, !(1...TopicConfig.day).contains(milliseconds) {
      throw .invalidConfig(field: "fsync interval", reason: "expected 1 ms to 1 day, found \(milliseconds) ms")
    }
    if let limit = tombstoneRetention.limit, limit.milliseconds < 0 {
      throw .invalidConfig(field: "tombstone retention", reason: "expected zero or a positive duration")
    }
    guard (1...(1 << 20)).contains(indexIntervalBytes) else {
      throw .invalidConfig(field: "index interval", reason: "expected 1 byte to 1 MiB, found \(indexIntervalBytes)")
    }
  }

  /// The time before which records have outlived `retention` at `now`; nil when it is
  /// infinite. Saturates instead of trapping for spans longer than the clock's past.
  public static func cutoff(_ retention: Retention<TimeSpan>, now: Int64) -> Int64? {
    guard let limit = retention.limit else { return nil }
    let (cutoff, overflow) = now.subtractingReportingOverflow(limit.milliseconds)
    return overflow ? Int64.min : cutoff
  }
}
