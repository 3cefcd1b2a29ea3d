import MeshBytes

/// `topic.conf`: the durable configuration of a topic, as `key=value` lines (Kafka's
/// property names), so that people can read it:
///
/// ```
/// # meshc topic configuration
/// format=1
/// partitions=3
/// cleanup.policy=delete            # delete | compact
/// retention.ms=604800000           # -1: infinite
/// retention.bytes=-1               # per partition; -1: no limit
/// segment.bytes=1073741824
/// segment.ms=604800000             # -1: never roll by age
/// fsync=batch                      # batch | interval | none
/// fsync.interval.ms=1000           # with fsync=interval
/// delete.retention.ms=86400000     # tombstone grace period; -1: infinite
/// index.interval.bytes=4096
/// ```
///
/// `format` is the version of this layout; keys may come in any order, `#` starts a
/// comment, unknown keys are ignored (so that newer keys do not break older readers),
/// missing keys take their defaults except `partitions`. Written atomically.
extension TopicConfig {
  public static let fileName = "topic.conf"
  static let fileFormat = 1

  func encodedFile() -> [UInt8] {
    var lines = ["# meshc topic configuration", "format=\(TopicConfig.fileFormat)", "partitions=\(partitions)"]
    lines.append("cleanup.policy=\(cleanupPolicy.rawValue)")
    lines.append("retention.ms=\(retention.limit?.milliseconds ?? -1)")
    lines.append("retention.bytes=\(retentionBytes.limit?.value ?? -1)")
    lines.append("segment.bytes=\(segmentBytes.value)")
    lines.append("segment.ms=\(segmentMs ?? -1)")
    switch fsync {
    case .everyBatch: lines.append("fsync=batch")
    case .interval(let milliseconds): lines += ["fsync=interval", "fsync.interval.ms=\(milliseconds)"]
    case .none: lines.append("fsync=none")
    }
    lines.append("delete.retention.ms=\(tombstoneRetention.limit?.milliseconds ?? -1)")
    lines.append("index.interval.bytes=\(indexIntervalBytes)")
    return Array((lines.joined(separator: "\n") + "\n").utf8)
  }

  /// Parses `topic.conf`; the error text says which line is wrong.
  static func decodeFile(_ bytes: [UInt8]) -> Result<TopicConfig, ConfigFileError> {
    var config = TopicConfig()
    var values: [String: (value: String, line: Int)] = [:]
    let text = String(decoding: bytes, as: UTF8.self)
    for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var line = Substring(rawLine)
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      let trimmed = line.trimmingWhitespace()
      if trimmed.isEmpty { continue }
      guard let equals = trimmed.firstIndex(of: "=") else {
        return .failure(ConfigFileError(line: number + 1, message: "expected 'key=value', found '\(trimmed)'"))
      }
      let key = String(trimmed[..<equals].trimmingWhitespace())
      values[key] = (String(trimmed[trimmed.index(after: equals)...].trimmingWhitespace()), number + 1)
    }
    func integer(_ key: String) -> Result<Int64?, ConfigFileError> {
      guard let entry = values[key] else { return .success(nil) }
      guard let number = Int64(entry.value) else {
        return .failure(
          ConfigFileError(line: entry.line, message: "'\(key)' expects an integer, found '\(entry.value)'"))
      }
      return .success(number)
    }
    do throws(ConfigFileError) {
      guard let format = try integer("format").get(), format == Int64(fileFormat) else {
        return .failure(ConfigFileError(line: values["format"]?.line ?? 1, message: "expected 'format=1'"))
      }
      guard let partitions = try integer("partitions").get() else {
        return .failure(ConfigFileError(line: 1, message: "'partitions' is missing"))
      }
      config.partitions = Int(clamping: partitions)
      if let entry = values["cleanup.policy"] {
        guard let policy = CleanupPolicy(rawValue: entry.value) else {
          return .failure(
            ConfigFileError(
              line: entry.line, message: "'cleanup.policy' expects delete or compact, found '\(entry.value)'"))
        }
        config.cleanupPolicy = policy
      }
      if let value = try integer("retention.ms").get() {
        config.retention = value < 0 ? .infinite : .limited(TimeSpan(milliseconds: value))
      }
      if let value = try integer("retention.bytes").get() {
        config.retentionBytes = value < 0 ? .infinite : .limited(ByteCount(value))
      }
      if let value = try integer("segment.bytes").get() { config.segmentBytes = ByteCount(value) }
      if let value = try integer("segment.ms").get() { config.segmentMs = value < 0 ? nil : value }
      if let value = try integer("delete.retention.ms").get() {
        config.tombstoneRetention = value < 0 ? .infinite : .limited(TimeSpan(milliseconds: value))
      }
      if let value = try integer("index.interval.bytes").get() { config.indexIntervalBytes = Int(clamping: value) }
      if let entry = values["fsync"] {
        switch entry.value {
        case "batch": config.fsync = .everyBatch
        case "none": config.fsync = .none
        case "interval":
          config.fsync = .interval(milliseconds: try integer("fsync.interval.ms").get() ?? 1000)
        default:
          return .failure(
            ConfigFileError(
              line: entry.line, message: "'fsync' expects batch, interval or none, found '\(entry.value)'"))
        }
      }
    } catch {
      return .failure(error)
    }
    do throws(LogError) {
      try config.validate()
    } catch {
      // Point at the line of the key whose value is out of range.
      let keys = [
        "partitions": "partitions", "retention": "retention.ms", "retention bytes": "retention.bytes",
        "segment size": "segment.bytes", "segment time": "segment.ms", "fsync interval": "fsync.interval.ms",
        "tombstone retention": "delete.retention.ms", "index interval": "index.interval.bytes",
      ]
      var line = 1
      if case .invalidConfig(let field, _) = error, let key = keys[field], let entry = values[key] { line = entry.line }
      return .failure(ConfigFileError(line: line, message: error.description))
    }
    return .success(config)
  }
}

/// Why a `topic.conf` does not parse.
struct ConfigFileError: Error, Hashable, Sendable, CustomStringConvertible {
  var line: Int
  var message: String
  var description: String { "line \(line): \(message)" }
}

extension Substring {
  func trimmingWhitespace() -> Substring {
    var result = self
    while let first = result.first, first == " " || first == "\t" || first == "\r" { result = result.dropFirst() }
    while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
    return result
  }
}
