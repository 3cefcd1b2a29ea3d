import Foundation
import MeshBytes
import MeshDiagnostics
import MeshLog
import MeshTestSupport
import Testing

@testable import MeshDriver

/// Every E07xx and W07xx code, triggered through the command functions, with the place it
/// points at checked by a marker (`1️⃣`) in the command line or in the input.
@Suite struct LogDiagnosticsTests {
  /// Runs a log command line such as `meshc topics create x --retention 7x` (words split
  /// on spaces) in `directory`, with `stdin` as input.
  @discardableResult
  static func run(_ commandLine: String, stdin: String = "", in directory: String, lineLimit: Int? = nil) -> Report {
    let words = commandLine.split(separator: " ").map(String.init)
    let arguments = Array(words.dropFirst())  // "meshc"
    let context = LogCommandContext(dataDirectory: directory, commandLine: CommandLineSource(arguments))
    func value(_ option: String) -> String? {
      guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else { return nil }
      return arguments[index + 1]
    }
    let positional = arguments.count > 1 ? arguments[arguments[0] == "topics" ? 2 : 1] : ""
    switch arguments.first {
    case "topics":
      switch arguments[1] {
      case "create":
        let settings = TopicSettings(
          partitions: value("--partitions").flatMap { Int($0) }, retention: value("--retention"),
          retentionBytes: value("--retention-bytes"), cleanup: value("--cleanup"),
          segmentBytes: value("--segment-bytes"),
          segmentTime: value("--segment-time"), fsync: value("--fsync"), fsyncInterval: value("--fsync-interval"),
          tombstoneRetention: value("--tombstone-retention"))
        return MeshDriver.createTopic(positional, settings: settings, context)
      case "delete": return MeshDriver.deleteTopic(positional, context)
      case "describe": return MeshDriver.describeTopic(positional, context)
      case "repair": return MeshDriver.repairTopic(positional, context)
      default: return MeshDriver.listTopics(context)
      }
    case "produce":
      var options = ProduceOptions(
        keyField: value("--key-field"), envelope: arguments.contains("--envelope"),
        partition: value("--partition").flatMap { Int($0) })
      if let lineLimit { options.lineLimit = lineLimit }
      return MeshDriver.produce(
        topic: positional, options: options, input: LineInput(bytes: Array(stdin.utf8)), context)
    default:
      let options = ConsumeOptions(
        fromBeginning: arguments.contains("--from-beginning"), offset: value("--offset"),
        fromTime: value("--from-time"),
        group: value("--group"), max: value("--max").flatMap { Int($0) }, follow: false,
        partition: value("--partition").flatMap { Int($0) }, skipDamage: arguments.contains("--skip-damage"))
      return MeshDriver.consume(topic: positional, options: options, context) { bytes in
        bytes.removeAll()
        return true
      }
    }
  }

  /// Checks that the report has `code` at the marker of `marked` (in `file`), and returns it.
  @discardableResult
  static func expect(
    _ report: Report, _ code: DiagnosticCode, at marked: MarkedSource, file: String = CommandLineSource.path,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Diagnostic? {
    let found = report.diagnostics.first { $0.code == code }
    #expect(found != nil, "no \(code) in \(report.diagnostics.map(\.message))", sourceLocation: sourceLocation)
    guard let found else { return nil }
    #expect(found.range?.file == file, sourceLocation: sourceLocation)
    #expect(found.range?.start == marked["1️⃣"], "\(found.message)", sourceLocation: sourceLocation)
    return found
  }

  private func directory() throws -> String { try Fixtures.makeTemporaryDirectory("log-diagnostics").path }

  @Test func unknownTopicSuggestsTheClosestName() throws {
    let data = try directory()
    Self.run("meshc topics create orders", in: data)
    let marked = MarkedSource("meshc consume 1️⃣order --from-beginning")
    let report = Self.run(marked.text, in: data)
    let diagnostic = Self.expect(report, .unknownTopic, at: marked)
    #expect(diagnostic?.help == "did you mean 'orders'?")
    #expect(report.exitStatus == 1)
  }

  @Test func invalidNamesAreUsageErrors() throws {
    let marked = MarkedSource("meshc topics create 1️⃣bad/name")
    let report = Self.run(marked.text, in: try directory())
    Self.expect(report, .invalidLogName, at: marked)
    #expect(report.exitStatus == 2)
    let group = MarkedSource("meshc consume t --group 1️⃣.hidden")
    Self.expect(Self.run(group.text, in: try directory()), .invalidLogName, at: group)
    // A group name long enough that its offsets file would not fit a file name.
    let long = MarkedSource("meshc consume t --group 1️⃣" + String(repeating: "g", count: 201))
    let tooLong = Self.expect(Self.run(long.text, in: try directory()), .invalidLogName, at: long)
    #expect(tooLong?.message.contains("at most 200 characters") == true)
  }

  @Test func creatingATopicTwiceIsAnError() throws {
    let data = try directory()
    #expect(Self.run("meshc topics create orders", in: data).exitStatus == 0)
    let marked = MarkedSource("meshc topics create 1️⃣orders --partitions 2")
    let report = Self.run(marked.text, in: data)
    Self.expect(report, .topicExists, at: marked)
    #expect(report.exitStatus == 1)
  }

  @Test func badDurationsSizesAndSettingsPointAtTheirValue() throws {
    let data = try directory()
    let duration = MarkedSource("meshc topics create t --retention 1️⃣7x")
    Self.expect(Self.run(duration.text, in: data), .invalidTimeSpan, at: duration)
    let size = MarkedSource("meshc topics create t --segment-bytes 1️⃣lots")
    Self.expect(Self.run(size.text, in: data), .invalidSize, at: size)
    let setting = MarkedSource("meshc topics create t --fsync 1️⃣sometimes")
    let report = Self.run(setting.text, in: data)
    Self.expect(report, .invalidTopicSetting, at: setting)
    #expect(report.exitStatus == 2)
    let partitions = MarkedSource("meshc topics create t --partitions 1️⃣0")
    Self.expect(Self.run(partitions.text, in: data), .invalidTopicSetting, at: partitions)
    let cleanup = MarkedSource("meshc topics create t --cleanup 1️⃣compacted")
    #expect(
      Self.expect(Self.run(cleanup.text, in: data), .invalidTopicSetting, at: cleanup)?.help
        == "did you mean 'compact'?")
  }

  @Test func offsetsOutsideThePartitionAreRefused() throws {
    let data = try directory()
    Self.run("meshc produce t", stdin: "1\n2\n3\n", in: data)
    let outside = MarkedSource("meshc consume t --offset 1️⃣9")
    let report = Self.run(outside.text, in: data)
    Self.expect(report, .invalidOffset, at: outside)
    #expect(report.exitStatus == 1)
    let malformed = MarkedSource("meshc consume t --offset 1️⃣-3")
    #expect(Self.run(malformed.text, in: data).exitStatus == 2)
    Self.expect(Self.run(malformed.text, in: data), .invalidOffset, at: malformed)
  }

  @Test func unknownPartitionsAreRefused() throws {
    let data = try directory()
    Self.run("meshc topics create t --partitions 2", in: data)
    let marked = MarkedSource("meshc consume t --partition 1️⃣5")
    Self.expect(Self.run(marked.text, in: data), .unknownPartition, at: marked)
    let input = MarkedSource("{\"value\": 1}\n1️⃣{\"value\": 2, \"partition\": 7}\n")
    Self.expect(
      Self.run("meshc produce t --envelope", stdin: input.text, in: data), .unknownPartition, at: input, file: "<stdin>"
    )
  }

  @Test func badTimesAreRefused() throws {
    let data = try directory()
    Self.run("meshc produce t", stdin: "1\n", in: data)
    let marked = MarkedSource("meshc consume t --from-time 1️⃣2026-11-24T10:00")
    let diagnostic = Self.expect(Self.run(marked.text, in: data), .invalidTimestamp, at: marked)
    #expect(diagnostic?.message.contains("no zone") == true)
    let envelope = MarkedSource("{\"value\": 1, \"timestamp\": 1️⃣\"yesterday\"}\n")
    Self.expect(
      Self.run("meshc produce t --envelope", stdin: envelope.text, in: data), .invalidTimestamp, at: envelope,
      file: "<stdin>")
  }

  @Test func badInputLinesStopProductionAtTheirPlace() throws {
    let data = try directory()
    let marked = MarkedSource("{\"id\": 1}\n{\"id\": 2}\n{\"id\": 1️⃣oops}\n{\"id\": 4}\n")
    let report = Self.run("meshc produce t", stdin: marked.text, in: data)
    Self.expect(report, .invalidInputLine, at: marked, file: "<stdin>")
    #expect(report.exitStatus == 1)
    #expect(report.summary.hasPrefix("produced 2 records"))
  }

  @Test func envelopesAndKeyFieldsCheckTheirShape() throws {
    let data = try directory()
    let unknown = MarkedSource("{\"value\": 1, 1️⃣\"vaule\": 2}\n")
    let diagnostic = Self.expect(
      Self.run("meshc produce t --envelope", stdin: unknown.text, in: data), .invalidEnvelope, at: unknown,
      file: "<stdin>")
    #expect(diagnostic?.help == "did you mean 'value'?")
    let missing = MarkedSource("{\"id\": 1}\n1️⃣{\"name\": 2}\n")
    Self.expect(
      Self.run("meshc produce t --key-field id", stdin: missing.text, in: data), .invalidEnvelope, at: missing,
      file: "<stdin>")
  }

  @Test func compactedTopicsNeedAKeyOnEveryLine() throws {
    let data = try directory()
    Self.run("meshc topics create t --cleanup compact", in: data)
    let marked = MarkedSource("{\"id\": \"a\"}\n1️⃣{\"id\": null}\n")
    Self.expect(
      Self.run("meshc produce t --key-field id", stdin: marked.text, in: data), .missingRecordKey, at: marked,
      file: "<stdin>")
  }

  @Test func damagedDataIsReportedWithoutALocation() throws {
    let data = try directory()
    Self.run("meshc produce t", stdin: (0..<50).map { "{\"n\": \($0)}\n" }.joined(), in: data)
    let segment = data + "/topics/t/0/00000000000000000000.log"
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
    bytes[60] ^= 0xFF
    try Data(bytes).write(to: URL(fileURLWithPath: segment))
    let report = Self.run("meshc consume t --from-beginning", in: data)
    let diagnostic = report.diagnostics.first { $0.code == .damagedLogData }
    #expect(diagnostic?.range == nil)
    #expect(diagnostic?.message.contains("segment '\(segment)'") == true)
    #expect(report.exitStatus == 1)
  }

  @Test func ioFailuresAreReportedWithoutALocation() throws {
    let file = try directory() + "/not-a-directory"
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    let report = Self.run("meshc topics create t", in: file)
    let diagnostic = report.diagnostics.first { $0.code == .logIOFailure }
    #expect(diagnostic != nil)
    #expect(diagnostic?.range == nil)
  }

  @Test func aTopicBeingWrittenElsewhereIsLocked() throws {
    let data = try directory()
    let log = try Log.open(directory: data)
    try log.createTopic("t", config: TopicConfig())
    let marked = MarkedSource("meshc produce 1️⃣t")
    let report = Self.run(marked.text, stdin: "1\n", in: data)
    Self.expect(report, .topicLocked, at: marked)
    try log.close()
  }

  @Test func conflictingOptionsAreUsageErrors() throws {
    let data = try directory()
    Self.run("meshc produce t", stdin: "1\n", in: data)
    let marked = MarkedSource("meshc consume t --offset 0 1️⃣--from-time 1000")
    let report = Self.run(marked.text, in: data)
    Self.expect(report, .conflictingOptions, at: marked)
    #expect(report.exitStatus == 2)
    Self.run("meshc topics create two --partitions 2", in: data)
    let needsPartition = MarkedSource("meshc consume two 1️⃣--offset 0")
    Self.expect(Self.run(needsPartition.text, in: data), .conflictingOptions, at: needsPartition)
  }

  @Test func oversizedLinesAreRefused() throws {
    let data = try directory()
    // The real limit is 64 MiB less framing; a small one keeps the test fast.
    #expect(ProduceOptions().lineLimit == BatchFormat.maxRecordBytes)
    let huge = "\"" + String(repeating: "x", count: 2000) + "\""
    let marked = MarkedSource("1\n1️⃣")
    let report = Self.run("meshc produce t", stdin: marked.text + huge + "\n", in: data, lineLimit: 1000)
    Self.expect(report, .recordTooLarge, at: marked, file: "<stdin>")
  }

  @Test func autoCreatedTopicsAreAWarning() throws {
    let marked = MarkedSource("meshc produce 1️⃣fresh")
    let report = Self.run(marked.text, stdin: "{}\n", in: try directory())
    Self.expect(report, .topicAutoCreated, at: marked)
    #expect(report.exitStatus == 0)
  }

  @Test func aCommittedOffsetOutsideTheLogIsReset() throws {
    let data = try directory()
    Self.run("meshc produce t", stdin: "1\n2\n", in: data)
    let log = try Log.open(directory: data)
    try log.topic("t").commit(group: "g", offsets: [0: Offset(100)])
    try log.close()
    let marked = MarkedSource("meshc consume t --group 1️⃣g")
    let report = Self.run(marked.text, in: data)
    Self.expect(report, .committedOffsetReset, at: marked)
    #expect(report.exitStatus == 0)
  }

  /// A topic of several small segments, one of which (the third) is then deleted.
  private func topicWithALostSegment() throws -> String {
    let data = try directory()
    Self.run("meshc topics create t --segment-bytes 1KiB", in: data)
    for round in 0..<8 {
      let lines = (0..<50).map { "{\"n\":\(round * 50 + $0)}" }.joined(separator: "\n") + "\n"
      Self.run("meshc produce t", stdin: lines, in: data)
    }
    let folder = data + "/topics/t/0"
    let logs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".log") }.sorted()
    try FileManager.default.removeItem(atPath: folder + "/" + logs[2])
    return data
  }

  @Test func skippingDamageIsAWarningAtTheFlag() throws {
    let data = try topicWithALostSegment()
    let stopped = Self.run("meshc consume t --from-beginning", in: data)
    #expect(stopped.exitStatus == 1)
    #expect(stopped.diagnostics.contains { $0.code == .damagedLogData && $0.message.contains("lost the records") })
    let marked = MarkedSource("meshc consume t --from-beginning 1️⃣--skip-damage")
    let report = Self.run(marked.text, in: data)
    Self.expect(report, .skippedDamage, at: marked)
    #expect(report.exitStatus == 0)
  }

  @Test func describeListsLostRecordsAndStrays() throws {
    let data = try topicWithALostSegment()
    let stray = data + "/topics/t/0/00000000000000999999.log"
    _ = FileManager.default.createFile(atPath: stray, contents: Data("junk".utf8))
    let marked = MarkedSource("meshc topics describe 1️⃣t")
    let report = Self.run(marked.text, in: data)
    Self.expect(report, .straySegmentFile, at: marked)
    #expect(report.diagnostics.contains { $0.code == .damagedLogData && $0.message.contains("is missing") })
    #expect(report.summary.contains("lost "))
    #expect(report.exitStatus == 1)
  }

  @Test func repairLetsALostTailTakeAppendsAgain() throws {
    let data = try directory()
    Self.run("meshc produce t", stdin: "1\n2\n3\n", in: data)
    let folder = data + "/topics/t/0"
    let log = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".log") })
    try FileManager.default.removeItem(atPath: folder + "/" + log)
    let refused = MarkedSource("meshc produce 1️⃣t")
    let report = Self.run(refused.text, stdin: "4\n", in: data)
    #expect(report.diagnostics.contains { $0.code == .damagedLogData && $0.message.contains("takes no appends") })
    #expect(report.diagnostics.first { $0.code == .damagedLogData }?.help?.contains("meshc topics repair t") == true)
    let repaired = Self.run("meshc topics repair t", in: data)
    #expect(repaired.exitStatus == 0)
    #expect(repaired.summary.contains("appends go on at offset 3"))
    let produced = Self.run("meshc produce t", stdin: "4\n", in: data)
    #expect(produced.summary.contains("offsets 3-3"))
    #expect(Self.run("meshc topics repair t", in: data).summary.contains("needed no repair"))
  }
}
