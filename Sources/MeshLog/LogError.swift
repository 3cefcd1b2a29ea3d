#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Everything the log can fail with. Each case carries its context (topic, partition,
/// segment, offset, path) so that the driver renders it without assembling strings at
/// the throw site; `MeshDriver` maps each case to a stable E07xx code.
public enum LogError: Error, Hashable, Sendable, CustomStringConvertible {
  /// A file-system call failed.
  case io(FileIOError)
  /// A topic or consumer-group name breaks the naming rules.
  case invalidName(kind: NameKind, name: String, reason: String)
  case topicExists(String)
  /// `known` lists the existing topics, for a did-you-mean.
  case unknownTopic(String, known: [String])
  case unknownPartition(topic: String, partition: Int, partitionCount: Int)
  /// A configuration value is out of range.
  case invalidConfig(field: String, reason: String)
  /// A topic's `topic.conf` cannot be parsed.
  case damagedConfig(topic: String, path: String, reason: String)
  /// A batch failed its checks; the reader stops before it.
  case corruptBatch(CorruptBatch)
  /// An offset outside `start...end` was asked for.
  case offsetOutOfRange(topic: String, partition: Int, offset: Offset, start: Offset, end: Offset)
  case recordTooLarge(topic: String, partition: Int, bytes: Int, limit: Int)
  /// Compacted topics keep the latest record per key, so every record needs one.
  case missingKey(topic: String)
  /// Another process holds the topic's writer lock.
  case topicLocked(topic: String, path: String)
  /// An earlier write or sync of this partition failed; the data on disk may be torn, so
  /// the partition takes no more appends until it is reopened (and recovered).
  case writerFailed(topic: String, partition: Int, cause: FileIOError)
  /// The log was opened read-only.
  case readOnly(topic: String)
  case damagedGroupOffsets(topic: String, group: String, path: String, reason: String)
  /// The log, topic or partition was closed.
  case closed
  /// The partition's next offset leaves no room for more records (a segment file named
  /// like an offset near Int64.max): appending would wrap around.
  case offsetsExhausted(topic: String, partition: Int, next: Offset)
  /// A reader reached offsets the partition once held and no longer has (a segment
  /// deleted or cut short by something other than meshc).
  case missingRecords(LostRecords)
  /// Acknowledged records at the end of the partition are gone: appending would hand
  /// their offsets to new records. `meshc topics repair` accepts the loss.
  case appendsRefused(LostRecords)
  /// A partition's record of its segments (`segments`) cannot be read.
  case damagedPartitionRecord(topic: String, partition: Int, path: String, reason: String)

  public enum NameKind: String, Sendable {
    case topic
    case group = "consumer group"
  }

  public var description: String {
    switch self {
    case .io(let error): error.description
    case .invalidName(let kind, let name, let reason): "invalid \(kind.rawValue) name '\(name)': \(reason)"
    case .topicExists(let name): "topic '\(name)' already exists"
    case .unknownTopic(let name, _): "unknown topic '\(name)'"
    case .unknownPartition(let topic, let partition, let count):
      "topic '\(topic)' has no partition \(partition) (expected 0 to \(count - 1))"
    case .invalidConfig(let field, let reason): "invalid \(field): \(reason)"
    case .damagedConfig(let topic, let path, let reason):
      "cannot read the configuration of topic '\(topic)' at '\(path)': \(reason)"
    case .corruptBatch(let corrupt): corrupt.description
    case .offsetOutOfRange(let topic, let partition, let offset, let start, let end):
      "offset \(offset) is out of range for topic '\(topic)' partition \(partition) "
        + "(expected \(start) to \(end))"
    case .recordTooLarge(let topic, let partition, let bytes, let limit):
      "a batch of \(bytes) bytes for topic '\(topic)' partition \(partition) exceeds the limit of \(limit) bytes"
    case .missingKey(let topic): "topic '\(topic)' is compacted, so every record needs a key"
    case .topicLocked(let topic, _): "topic '\(topic)' is being written by another process"
    case .writerFailed(let topic, let partition, let cause):
      "topic '\(topic)' partition \(partition) takes no more appends in this process after an I/O failure "
        + "(\(cause)); nothing of the failed append was acknowledged, and the next open recovers the partition"
    case .readOnly(let topic): "topic '\(topic)' was opened read-only"
    case .damagedGroupOffsets(let topic, let group, let path, let reason):
      "cannot read the offsets of consumer group '\(group)' for topic '\(topic)' at '\(path)': \(reason)"
    case .closed: "the log is closed"
    case .offsetsExhausted(let topic, let partition, let next):
      "topic '\(topic)' partition \(partition) has no offsets left after \(next): a segment file claims offsets near the largest there are"
    case .missingRecords(let lost): lost.description
    case .appendsRefused(let lost):
      "\(lost.description); appending would give their offsets to new records, so topic '\(lost.topic)' "
        + "partition \(lost.partition) takes no appends"
    case .damagedPartitionRecord(let topic, let partition, let path, let reason):
      "cannot read the segment record of topic '\(topic)' partition \(partition) at '\(path)': \(reason)"
    }
  }
}

/// Where a damaged batch sits and what is wrong with it.
public struct CorruptBatch: Hashable, Sendable, CustomStringConvertible {
  public enum Reason: Hashable, Sendable, CustomStringConvertible {
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// The file ends inside the batch.
    case truncated(needed: Int64, available: Int64)
    case badLength(Int64)
    case unsupportedVersion(UInt8)
    /// The batch's offsets go backwards or do not fit its record count.
    case badOffsets(base: Offset, expectedAtLeast: Offset)
    /// The checksum matched but a record inside does not decode.
    case malformedRecord(String)

    public var description: String {
      switch self {
      case .checksumMismatch(let stored, let computed):
        "checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))"
      case .truncated(let needed, let available):
        "the file ends inside the batch (needed \(needed) bytes, found \(available))"
      case .badLength(let length): "implausible batch length \(length)"
      case .unsupportedVersion(let version): "unsupported batch version \(version) (expected 1)"
      case .badOffsets(let base, let expected): "batch base offset \(base) where at least \(expected) was expected"
      case .malformedRecord(let detail): "malformed record: \(detail)"
      }
    }

    private func hex(_ value: UInt32) -> String {
      let digits = String(value, radix: 16)
      return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
  }

  public var topic: String
  public var partition: Int
  /// The segment file's path.
  public var segment: String
  /// The first offset that cannot be read.
  public var offset: Offset
  /// The byte position of the batch in the segment file.
  public var position: Int64
  public var reason: Reason

  public init(topic: String, partition: Int, segment: String, offset: Offset, position: Int64, reason: Reason) {
    self.topic = topic
    self.partition = partition
    self.segment = segment
    self.offset = offset
    self.position = position
    self.reason = reason
  }

  public var description: String {
    "damaged batch in topic '\(topic)' partition \(partition) at offset \(offset) "
      + "(segment '\(segment)', byte \(position)): \(reason)"
  }
}

/// Offsets a partition acknowledged once and no longer holds, and what happened to them.
public struct LostRecords: Hashable, Sendable, CustomStringConvertible {
  public var topic: String
  public var partition: Int
  public var offsets: Range<Offset>
  /// What recovery found, e.g. "segment '…/00000000000000000500.log' is missing".
  public var reason: String

  public init(topic: String, partition: Int, offsets: Range<Offset>, reason: String) {
    self.topic = topic
    self.partition = partition
    self.offsets = offsets
    self.reason = reason
  }

  public var description: String {
    let span =
      offsets.upperBound - offsets.lowerBound == 1
      ? "offset \(offsets.lowerBound)" : "offsets \(offsets.lowerBound) to \(offsets.upperBound.value - 1)"
    return "topic '\(topic)' partition \(partition) lost the records at \(span): \(reason)"
  }
}

extension LogError {
  /// Wraps whatever an internal call threw: log errors pass through, file errors are wrapped.
  static func wrap(_ error: any Error) -> LogError {
    if let log = error as? LogError { return log }
    if let io = error as? FileIOError { return .io(io) }
    return .io(FileIOError(.read, path: String(describing: error), errno: EIO))
  }
}
