import MeshDiagnostics
import MeshLog

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Renders the log's typed errors as diagnostics, so that every log failure prints the
/// way every other finding does (`error[E07xx]: message`), pointing at the command-line
/// argument it concerns when there is one.
extension LogError {
  var code: DiagnosticCode {
    switch self {
    case .io: .logIOFailure
    case .invalidName: .invalidLogName
    case .topicExists: .topicExists
    case .unknownTopic: .unknownTopic
    case .unknownPartition: .unknownPartition
    case .invalidConfig: .invalidTopicSetting
    case .damagedConfig, .corruptBatch, .damagedGroupOffsets, .offsetsExhausted, .missingRecords, .appendsRefused,
      .damagedPartitionRecord:
      .damagedLogData
    case .offsetOutOfRange: .invalidOffset
    case .recordTooLarge: .recordTooLarge
    case .missingKey: .missingRecordKey
    case .topicLocked: .topicLocked
    case .writerFailed, .readOnly, .closed: .logIOFailure
    }
  }

  var help: String? {
    switch self {
    case .unknownTopic(let name, let known):
      Suggestion.didYouMean(name, among: known) ?? "create it with 'meshc topics create \(name)'"
    case .topicLocked: "wait for the other 'meshc produce' or 'meshc run' to finish"
    case .offsetOutOfRange(_, _, _, let start, let end):
      "the partition holds offsets \(start) to \(end); 'earliest' and 'latest' are accepted too"
    case .corruptBatch:
      "records before the damaged batch are intact; '--skip-damage' reads on past it, or resume after it with --offset"
    case .missingRecords: "'--skip-damage' reads on after the lost records; 'meshc topics describe' lists what is lost"
    case .appendsRefused(let lost):
      "'meshc topics repair \(lost.topic)' accepts the loss: appends go on after the lost offsets, which stay reported"
    case .damagedPartitionRecord(let topic, _, _, _):
      "'meshc topics repair \(topic)' rebuilds the record from the segment files"
    case .missingKey: "give each record a key with --key-field or the envelope's \"key\""
    case .writerFailed(_, _, let cause) where cause.errno == ENOSPC || cause.errno == EDQUOT:
      "free space on the disk, then run the command again"
    case .writerFailed: "run the command again: recovery keeps every acknowledged record"
    default: nil
    }
  }

  /// Failures of files rather than of what the user typed: they name their file in the
  /// message and point at no argument.
  var isOperational: Bool {
    switch self {
    case .io, .writerFailed, .corruptBatch, .damagedConfig, .damagedGroupOffsets, .closed, .offsetsExhausted,
      .missingRecords, .appendsRefused, .damagedPartitionRecord:
      true
    default: false
    }
  }

  /// The diagnostic, placed at `range` (the argument it is about) unless it is operational.
  func diagnostic(at range: SourceRange? = nil) -> Diagnostic {
    Diagnostic(code, description, at: isOperational ? nil : range, help: help)
  }
}
