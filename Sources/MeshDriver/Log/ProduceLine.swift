import MeshBytes
import MeshDiagnostics
import MeshLog

/// How `meshc produce` turns an input line into a record.
///
/// - Plain (the default): the line must be one JSON value; it becomes the record's value
///   byte for byte, without a key.
/// - `--key-field NAME`: the line must be a JSON object; it is the value, and its member
///   `NAME` is the key: a string member gives its UTF-8 text (what Kafka's string
///   serializer sends, so keys partition as they would in Kafka), `null` gives no key,
///   any other value gives its JSON text.
/// - `--envelope`: the line is `{"key": …, "value": …, "headers": {…}, "timestamp": …,
///   "partition": …}`; only `value` is required (`null` makes a tombstone). `value` is
///   stored as its JSON text; `key` follows the `--key-field` rules; `headers` maps names
///   to strings or null; `timestamp` is milliseconds since the epoch or an ISO-8601 time;
///   `partition` overrides the partitioner.
enum ProduceLine {
  enum Mode: Sendable {
    case plain
    case keyField(String)
    case envelope
  }

  /// Why a line was refused: where in the line, and the diagnostic's code and text.
  struct Problem: Error {
    var offset: Int
    var code: DiagnosticCode
    var message: String
    var help: String?
  }

  static let envelopeMembers = ["key", "value", "headers", "timestamp", "partition"]

  static func record(from line: [UInt8], mode: Mode) -> Result<(Record, partition: Int?), Problem> {
    if let problem = JSONTokenizer.problem(in: line) {
      return .failure(
        Problem(offset: problem.offset, code: .invalidInputLine, message: "invalid JSON: \(problem.message)"))
    }
    switch mode {
    case .plain:
      return .success((Record(value: line), nil))
    case .keyField(let field):
      guard let members = try? JSONTokenizer.members(of: line) else {
        return .failure(
          Problem(
            offset: firstNonSpace(line), code: .invalidEnvelope,
            message: "expected a JSON object with a member '\(field)' (--key-field)"))
      }
      guard let member = members.first(where: { $0.name == field }) else {
        return .failure(
          Problem(
            offset: firstNonSpace(line), code: .invalidEnvelope,
            message: "the object has no member '\(field)' (--key-field)",
            help: Suggestion.didYouMean(field, among: members.map(\.name))))
      }
      return .success((Record(key: key(line, member.value), value: line), nil))
    case .envelope:
      return envelope(line)
    }
  }

  private static func envelope(_ line: [UInt8]) -> Result<(Record, partition: Int?), Problem> {
    guard let members = try? JSONTokenizer.members(of: line) else {
      return .failure(
        Problem(
          offset: firstNonSpace(line), code: .invalidEnvelope,
          message: "expected an envelope object such as {\"key\": \"k\", \"value\": {…}} (--envelope)"))
    }
    var record = Record(value: nil)
    var partition: Int?
    var sawValue = false
    var seen = Set<String>()
    for member in members {
      guard seen.insert(member.name).inserted else {
        return .failure(
          Problem(offset: member.nameOffset, code: .invalidEnvelope, message: "duplicate member '\(member.name)'"))
      }
      let kind = member.kind
      switch member.name {
      case "value":
        sawValue = true
        record.value = kind == .null ? nil : Array(line[member.value])
      case "key":
        record.key = key(line, member.value)
      case "headers":
        guard kind == .object || kind == .null else {
          return .failure(
            Problem(
              offset: member.value.lowerBound, code: .invalidEnvelope, message: "'headers' must be an object of strings"
            ))
        }
        if kind == .object {
          guard let headers = try? JSONTokenizer.members(of: line, in: member.value) else {
            return .failure(
              Problem(offset: member.value.lowerBound, code: .invalidEnvelope, message: "'headers' must be an object"))
          }
          for header in headers {
            let valueRange = header.value
            switch header.kind {
            case .null: record.headers.append(RecordHeader(key: header.name, value: nil))
            case .string:
              let text = JSONTokenizer.string(in: line, valueRange) ?? ""
              record.headers.append(RecordHeader(key: header.name, value: Array(text.utf8)))
            default:
              return .failure(
                Problem(
                  offset: valueRange.lowerBound, code: .invalidEnvelope,
                  message: "header '\(header.name)' must be a string or null"))
            }
          }
        }
      case "timestamp":
        let text =
          kind == .string
          ? JSONTokenizer.string(in: line, member.value) ?? "" : String(decoding: line[member.value], as: UTF8.self)
        switch kind == .string || kind == .number
          ? EventTime.parse(text) : .failure(QuantitySyntaxError(EventTime.expected))
        {
        case .success(let time): record.timestamp = time.millisecondsSinceEpoch
        case .failure(let problem):
          return .failure(
            Problem(
              offset: member.value.lowerBound, code: .invalidTimestamp,
              message: "invalid timestamp '\(text)': \(problem.message)"))
        }
      case "partition":
        let text = String(decoding: line[member.value], as: UTF8.self)
        guard kind == .number, let number = Int(text), number >= 0 else {
          return .failure(
            Problem(
              offset: member.value.lowerBound, code: .invalidEnvelope,
              message: "'partition' must be a partition number, found \(text)"))
        }
        partition = number
      default:
        return .failure(
          Problem(
            offset: member.nameOffset, code: .invalidEnvelope,
            message: "unknown envelope member '\(member.name)' (expected key, value, headers, timestamp or partition)",
            help: Suggestion.didYouMean(member.name, among: envelopeMembers)))
      }
    }
    guard sawValue else {
      return .failure(
        Problem(
          offset: firstNonSpace(line), code: .invalidEnvelope, message: "the envelope has no \"value\"",
          help: "use \"value\": null for a tombstone"))
    }
    return .success((record, partition))
  }

  private static func key(_ line: [UInt8], _ range: Range<Int>) -> [UInt8]? {
    switch JSONTokenizer.kind(of: line, at: range.lowerBound) {
    case .null: return nil
    case .string: return Array((JSONTokenizer.string(in: line, range) ?? "").utf8)
    default: return Array(line[range])
    }
  }

  private static func firstNonSpace(_ line: [UInt8]) -> Int {
    line.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? 0
  }
}
