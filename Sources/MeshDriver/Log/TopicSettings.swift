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
    func report(_ code: DiagnosticCode, _ what: String, _ text: String, option: String, _ problem: QuantitySyntaxError)
    {
      diagnostics.error(
        code, "invalid \(what) '\(text)' for \(option): \(problem.message)", at: commandLine.range(ofOption: option),
        help: problem.help)
    }
    func duration(_ text: String?, option: String) -> TimeSpan? {
      guard let text else { return nil }
      switch TimeSpan.parse(text) {
      case .success(let span) where span.milliseconds > 0: return span
      case .success:
        report(.invalidTimeSpan, "duration", text, option: option, QuantitySyntaxError("expected more than zero"))
      case .failure(let problem): report(.invalidTimeSpan, "duration", text, option: option, problem)
      }
      return nil
    }
    func retention(_ text: String?, option: String) -> Retention<TimeSpan>? {
      guard let text else { return nil }
      if text == "infinite" { return .infinite }
      return duration(text, option: option).map { .limited($0) }
    }
    func size(_ text: String?, option: String) -> ByteCount? {
      guard let text else { return nil }
      switch ByteCount.parse(text) {
      case .success(let size): return size
      case .failure(let problem):
        report(.invalidSize, "size", text, option: option, problem)
        return nil
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
    if let value = retention(self.retention, option: "--retention") { config.retention = value }
    if retentionBytes == "infinite" {
      config.retentionBytes = .infinite
    } else if let value = size(retentionBytes, option: "--retention-bytes") {
      config.retentionBytes = .limited(value)
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
    if let value = size(segmentBytes, option: "--segment-bytes") {
      if TopicConfig.segmentBytesRange.contains(value.value) {
        config.segmentBytes = value
      } else {
        diagnostics.error(
          .invalidTopicSetting,
          "invalid segment size \(value): expected \(TopicConfig.segmentBytesRange.lowerBound) bytes to 2 GiB",
          at: commandLine.range(ofOption: "--segment-bytes"))
      }
    }
    if let value = retention(segmentTime, option: "--segment-time") { config.segmentMs = value.limit?.milliseconds }
    var interval: Int64 = 1000
    if let value = duration(fsyncInterval, option: "--fsync-interval") {
      if value.milliseconds <= TopicConfig.day {
        interval = value.milliseconds
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
    if let value = retention(tombstoneRetention, option: "--tombstone-retention") { config.tombstoneRetention = value }
    return diagnostics.errorCount == before ? config : nil
  }
}

extension TopicConfig {
  /// `7d`, `infinite`, `7d or 1.0 GiB`: how long or how much a partition keeps.
  var retentionText: String {
    guard cleanupPolicy == .delete else { return "compacted" }
    switch (retention, retentionBytes) {
    case (_, .infinite): return retention.description
    case (.infinite, .limited(let bytes)): return bytes.description
    case (.limited(let time), .limited(let bytes)): return "\(time) or \(bytes)"
    }
  }

  var fsyncText: String {
    switch fsync {
    case .everyBatch: "batch"
    case .interval(let milliseconds): "interval (\(TimeSpan(milliseconds: milliseconds)))"
    case .none: "none"
    }
  }

  /// One line for messages: `3 partitions, retention 7d, cleanup delete, fsync batch`.
  var summary: String {
    "\(partitions) partition\(partitions == 1 ? "" : "s"), retention \(retentionText), "
      + "cleanup \(cleanupPolicy.rawValue), segments of \(segmentBytes), fsync \(fsyncText)"
  }
}
