import MeshBytes
import MeshDiagnostics
import MeshLog

/// The settings `meshc topics create` takes, as typed; `config` parses them into a
/// `TopicConfig`, reporting each bad value at its place on the command line.
public struct TopicSettings: Sendable {
  public var partitions: Int?
  public var retention: String?
  public var retentionBytes: String?
  public var cleanup: String?
  public var segmentBytes: String?
  public var segmentTime: String?
  public var fsync: String?
  public var fsyncInterval: String?
  public var tombstoneRetention: String?

  public init(
    partitions: Int? = nil, retention: String? = nil, retentionBytes: String? = nil, cleanup: String? = nil,
    segmentBytes: String? = nil, segmentTime: String? = nil, fsync: String? = nil, fsyncInterval: String? = nil,
    tombstoneRetention: String? = nil
  ) {
    self.partitions = partitions
    self.retention = retention
    self.retentionBytes = retentionBytes
    self.cleanup = cleanup
    self.segmentBytes = segmentBytes
    self.segmentTime = segmentTime
    self.fsync = fsync
    self.fsyncInterval = fsyncInterval
    self.tombstoneRetention = tombstoneRetention
  }

  /// The configuration, or nil after adding diagnostics for every bad value.
  func config(
    _ commandLine: CommandLineSource, _ diagnostics: inout Diagnostics, defaults: TopicConfig = TopicConfig()
  ) -> TopicConfig? {
    var config = defaults
    let before = diagnostics.errorCount
    func duration(_ text: String?, option: String, allowInfinite: Bool = true) -> Int64?? {
      guard let text else { return .none }
      switch DurationText.parse(text, allowInfinite: allowInfinite) {
      case .success(let value): return .some(value)
      case .failure(let problem):
        diagnostics.error(
          .invalidDuration, "invalid duration '\(text)' for \(option): \(problem.message)",
          at: commandLine.range(ofOption: option))
        return .none
      }
    }
    func size(_ text: String?, option: String, allowInfinite: Bool) -> Int64?? {
      guard let text else { return .none }
      switch ByteSizeText.parse(text, allowInfinite: allowInfinite) {
      case .success(let value): return .some(value)
      case .failure(let problem):
        diagnostics.error(
          .invalidByteSize, "invalid size '\(text)' for \(option): \(problem.message)",
          at: commandLine.range(ofOption: option))
        return .none
      }
    }
    if let partitions {
      if (1...TopicConfig.partitionLimit).contains(partitions) {
        config.partitions = partitions
      } else {
        diagnostics.error(
          .invalidTopicSetting,
          "invalid partition count \(partitions): expected 1 to \(TopicConfig.partitionLimit)",
          at: commandLine.range(ofOption: "--partitions"))
      }
    }
    if case .some(let value) = duration(retention, option: "--retention") { config.retentionMs = value }
    if case .some(let value) = size(retentionBytes, option: "--retention-bytes", allowInfinite: true) {
      config.retentionBytes = value.map { ByteCount($0) }
    }
    if let cleanup {
      if let policy = TopicConfig.CleanupPolicy(rawValue: cleanup) {
        config.cleanupPolicy = policy
      } else {
        diagnostics.error(
          .invalidTopicSetting, "invalid cleanup policy '\(cleanup)': expected 'delete' or 'compact'",
          at: commandLine.range(ofOption: "--cleanup"),
          help: Suggestion.didYouMean(cleanup, among: TopicConfig.CleanupPolicy.allCases.map(\.rawValue)))
      }
    }
    if case .some(let value?) = size(segmentBytes, option: "--segment-bytes", allowInfinite: false) {
      if TopicConfig.segmentBytesRange.contains(value) {
        config.segmentBytes = ByteCount(value)
      } else {
        diagnostics.error(
          .invalidTopicSetting,
          "invalid segment size \(ByteCount(value)): expected \(TopicConfig.segmentBytesRange.lowerBound) bytes to 2 GiB",
          at: commandLine.range(ofOption: "--segment-bytes"))
      }
    }
    if case .some(let value) = duration(segmentTime, option: "--segment-time") { config.segmentMs = value }
    var interval: Int64 = 1000
    if case .some(let value?) = duration(fsyncInterval, option: "--fsync-interval", allowInfinite: false) {
      if value <= TopicConfig.day {
        interval = value
      } else {
        diagnostics.error(
          .invalidTopicSetting, "invalid fsync interval '\(fsyncInterval ?? "")': expected at most 1d",
          at: commandLine.range(ofOption: "--fsync-interval"))
      }
    }
    switch fsync {
    case nil: if fsyncInterval != nil { config.fsync = .interval(milliseconds: interval) }
    case "batch": config.fsync = .everyBatch
    case "interval": config.fsync = .interval(milliseconds: interval)
    case "none": config.fsync = .none
    case .some(let other):
      diagnostics.error(
        .invalidTopicSetting, "invalid fsync policy '\(other)': expected 'batch', 'interval' or 'none'",
        at: commandLine.range(ofOption: "--fsync"),
        help: Suggestion.didYouMean(other, among: ["batch", "interval", "none"]))
    }
    if case .some(let value) = duration(tombstoneRetention, option: "--tombstone-retention") {
      config.deleteRetentionMs = value ?? Int64.max / 2
    }
    return diagnostics.errorCount == before ? config : nil
  }
}

extension TopicConfig {
  /// `7d`, `infinite`, `7d or 1.0 GiB`: how long or how much a partition keeps.
  var retentionText: String {
    guard cleanupPolicy == .delete else { return "compacted" }
    let time = DurationText.format(retentionMs)
    guard let retentionBytes else { return time }
    return retentionMs == nil ? "\(retentionBytes)" : "\(time) or \(retentionBytes)"
  }

  var fsyncText: String {
    switch fsync {
    case .everyBatch: "batch"
    case .interval(let milliseconds): "interval (\(DurationText.format(milliseconds)))"
    case .none: "none"
    }
  }

  /// One line for messages: `3 partitions, retention 7d, cleanup delete, fsync batch`.
  var summary: String {
    "\(partitions) partition\(partitions == 1 ? "" : "s"), retention \(retentionText), "
      + "cleanup \(cleanupPolicy.rawValue), segments of \(segmentBytes), fsync \(fsyncText)"
  }
}
