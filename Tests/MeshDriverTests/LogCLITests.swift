import Foundation
import MeshBytes
import MeshLog
import MeshTestSupport
import Testing

/// `meshc topics`, `produce` and `consume` run as a user runs them: the built binary, its
/// standard streams and exit status.
@Suite struct LogCLITests {
  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [[String: Any]] {
      stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
    }
  }

  static func meshc(
    _ arguments: [String], stdin: String = "", directory: String? = nil, environment: [String: String] = [:]
  ) throws -> Outcome {
    let cwd = URL(fileURLWithPath: directory ?? FileManager.default.currentDirectoryPath)
    let result = try Meshc.run(arguments, in: cwd, input: Data(stdin.utf8), environment: environment)
    return Outcome(status: result.status, stdout: result.stdout, stderr: result.stderr)
  }

  private func dataDirectory() throws -> String { try Fixtures.makeTemporaryDirectory("log-cli").path }

  @Test func produceThenConsumeRoundTrips() throws {
    let data = try dataDirectory()
    let created = try Self.meshc(["topics", "create", "orders", "--partitions", "2", "--data-dir", data])
    #expect(created.status == 0)
    #expect(created.stdout.contains("created topic 'orders': 2 partitions"))
    let input = """
      {"id": "o-1", "amount": 10}
      {"id": "o-2", "amount": 20}

      {"id": "o-3", "amount": 30}
      """
    let produced = try Self.meshc(["produce", "orders", "--key-field", "id", "--data-dir", data], stdin: input)
    #expect(produced.status == 0, "\(produced.stderr)")
    #expect(produced.stdout.hasPrefix("produced 3 records to 'orders'"))
    let consumed = try Self.meshc(["consume", "orders", "--from-beginning", "--data-dir", data])
    #expect(consumed.status == 0, "\(consumed.stderr)")
    let records = consumed.lines
    #expect(records.count == 3)
    #expect(Set(records.compactMap { $0["key"] as? String }) == ["o-1", "o-2", "o-3"])
    for record in records {
      #expect(record["topic"] as? String == "orders")
      #expect((record["value"] as? [String: Any])?["id"] as? String == record["key"] as? String)
      #expect(record["timestamp"] is NSNumber && record["offset"] is NSNumber && record["headers"] is [String: Any])
    }
    // Same key, same partition as Kafka's partitioner would choose.
    let partitionOfO1 = records.first { $0["key"] as? String == "o-1" }?["partition"] as? Int
    #expect(partitionOfO1 == Partitioner.partition(forKey: Array("o-1".utf8), partitionCount: 2))
    // --max and --partition.
    #expect(
      try Self.meshc(["consume", "orders", "--from-beginning", "--max", "1", "--data-dir", data]).lines.count == 1)
    let onlyOne = try Self.meshc(["consume", "orders", "--from-beginning", "--partition", "1", "--data-dir", data])
    #expect(onlyOne.lines.allSatisfy { $0["partition"] as? Int == 1 })
  }

  @Test func envelopesCarryKeysHeadersTimestampsAndTombstones() throws {
    let data = try dataDirectory()
    let input = """
      {"key": "k1", "value": {"a": 1}, "headers": {"trace": "t-1"}, "timestamp": "2026-11-24T19:00:00Z"}
      {"key": "k1", "value": null, "timestamp": 1795546800001}
      """
    let produced = try Self.meshc(["produce", "events", "--envelope", "--data-dir", data], stdin: input)
    #expect(produced.status == 0)
    #expect(produced.stderr.contains("warning[W0701]: topic 'events' did not exist"))
    let records = try Self.meshc(["consume", "events", "--from-beginning", "--data-dir", data]).lines
    #expect(records.count == 2)
    #expect(records.first?["timestamp"] as? Int64 == 1_795_546_800_000)
    #expect((records.first?["headers"] as? [String: String]) == ["trace": "t-1"])
    #expect(records.last?["value"] is NSNull)
    // From a time: only the second record.
    let later = try Self.meshc(["consume", "events", "--from-time", "1795546800001", "--data-dir", data]).lines
    #expect(later.map { $0["offset"] as? Int } == [1])
  }

  @Test func malformedHeadersInsideAValidChecksumAreReportedNotDropped() throws {
    // Headers are decoded only when printed: a batch whose checksum holds but whose
    // header count runs past its record (a buggy or hostile writer) must still be
    // reported as damage, not printed without headers.
    let data = try dataDirectory()
    let produced = try Self.meshc(
      ["produce", "t", "--envelope", "--data-dir", data], stdin: #"{"value": "v", "headers": {"h": "x"}}"#)
    #expect(produced.status == 0, "\(produced.stderr)")
    let segment = data + "/topics/t/0/00000000000000000000.log"
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
    // The record ends with: header count 1, name length 1, "h", value length 2, "x".
    #expect(Array(bytes.suffix(5)) == [1, 1, UInt8(ascii: "h"), 2, UInt8(ascii: "x")])
    bytes[bytes.count - 5] = 9
    let crc = CRC32C.checksum(bytes[8...])
    for index in 0..<4 { bytes[4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * index)) }
    try Data(bytes).write(to: URL(fileURLWithPath: segment))
    let consumed = try Self.meshc(["consume", "t", "--from-beginning", "--data-dir", data])
    #expect(consumed.status == 1)
    #expect(consumed.stdout.isEmpty)
    #expect(consumed.stderr.contains("error[E0713]"), "\(consumed.stderr)")
    #expect(consumed.stderr.contains("record headers run past the record"), "\(consumed.stderr)")
  }

  @Test func benchLogMeasuresEveryLine() throws {
    // A small run of the benchmark as a user starts it: every figure printed, the files
    // it wrote removed. (Its figures are not checked: timings are not asserted in tests.)
    let directory = try dataDirectory()
    let result = try Self.meshc(
      ["bench", "log", "--bytes", "2MB", "--repeats", "1", "--dir", directory], directory: directory)
    #expect(result.status == 0, "\(result.stderr)")
    for line in [
      "20000 records of 100 bytes", "baseline write", "log append", "baseline read",
      "log read (checksummed, every record decoded)", "log read, whole batches",
      "decoding one batch in memory", "ns a record", "peak RSS",
    ] {
      #expect(result.stdout.contains(line), "missing '\(line)' in \(result.stdout)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test func consumerGroupsResumeWhereTheyCommitted() throws {
    let data = try dataDirectory()
    _ = try Self.meshc(["produce", "t", "--data-dir", data], stdin: "1\n2\n3\n")
    let first = try Self.meshc(["consume", "t", "--group", "g", "--from-beginning", "--max", "2", "--data-dir", data])
    #expect(first.lines.map { $0["value"] as? Int } == [1, 2])
    let second = try Self.meshc(["consume", "t", "--group", "g", "--data-dir", data])
    #expect(second.lines.map { $0["value"] as? Int } == [3])
    let described = try Self.meshc(["topics", "describe", "t", "--format", "json", "--data-dir", data])
    let object = try JSONSerialization.jsonObject(with: Data(described.stdout.utf8)) as? [String: Any]
    let groups = (object?["topic"] as? [String: Any])?["groups"] as? [[String: Any]]
    #expect(groups?.first?["committed"] as? Int == 3)
    #expect(groups?.first?["lag"] as? Int == 0)
  }

  @Test func listingDescribingAndDeletingTopics() throws {
    let data = try dataDirectory()
    _ = try Self.meshc(["topics", "create", "b", "--retention", "infinite", "--cleanup", "compact", "--data-dir", data])
    _ = try Self.meshc(["produce", "a", "--data-dir", data], stdin: "{}\n{}\n")
    let listed = try Self.meshc(["topics", "--data-dir", data])
    #expect(listed.status == 0)
    let rows = listed.stdout.split(separator: "\n")
    #expect(rows.first?.hasPrefix("TOPIC") == true)
    #expect(rows.count == 3)
    #expect(rows[1].contains("a ") && rows[1].contains(" 2 "))
    let json = try Self.meshc(["topics", "list", "--format", "json", "--data-dir", data])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect((object?["topics"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["a", "b"])
    #expect(
      try Self.meshc(["topics", "describe", "b", "--data-dir", data]).stdout.contains("cleanup             compact"))
    #expect(try Self.meshc(["topics", "delete", "a", "--data-dir", data]).status == 0)
    #expect(try Self.meshc(["topics", "delete", "a", "--data-dir", data]).status == 1)
    #expect(try Self.meshc(["topics", "--data-dir", data]).stdout.split(separator: "\n").count == 2)
  }

  @Test func exitStatusesFollowTheContract() throws {
    let data = try dataDirectory()
    #expect(try Self.meshc(["topics", "create", "t", "--retention", "7x", "--data-dir", data]).status == 2)
    #expect(try Self.meshc(["consume", "missing", "--data-dir", data]).status == 1)
    let bad = try Self.meshc(["produce", "t", "--data-dir", data], stdin: "{\"a\": 1}\nnot json\n")
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("<stdin>:2:1: error[E0710]"))
    #expect(try Self.meshc(["consume", "t", "--offset", "x", "--data-dir", data]).status == 2)
    let json = try Self.meshc(["consume", "missing", "--format", "json", "--data-dir", data])
    #expect(json.stdout.isEmpty)
    #expect(json.stderr.contains("\"code\":\"E0701\""))
  }

  @Test func theDataDirectoryComesFromTheEnvironmentOrTheMeshRoot() throws {
    let root = try dataDirectory()
    try Data("name: shop\n".utf8).write(to: URL(fileURLWithPath: root + "/mesh.yaml"))
    let nested = root + "/products/sales"
    try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
    _ = try Self.meshc(["produce", "t"], stdin: "1\n", directory: nested)
    #expect(FileManager.default.fileExists(atPath: root + "/.meshc/topics/t/topic.conf"))
    let elsewhere = try dataDirectory()
    _ = try Self.meshc(["produce", "u"], stdin: "1\n", directory: nested, environment: ["MESHC_DATA_DIR": elsewhere])
    #expect(FileManager.default.fileExists(atPath: elsewhere + "/topics/u/topic.conf"))
  }

  @Test func followModeWaitsForNewRecordsAndCommitsOnInterrupt() throws {
    let data = try dataDirectory()
    _ = try Self.meshc(["produce", "t", "--data-dir", data], stdin: "0\n")
    let follower = Process()
    follower.executableURL = Fixtures.meshcBinary
    follower.arguments = ["consume", "t", "--follow", "--group", "live", "--from-beginning", "--data-dir", data]
    let output = Pipe()
    follower.standardOutput = output
    follower.standardError = Pipe()
    try follower.run()
    let reader = output.fileHandleForReading
    var received = ""
    func waitForLines(_ count: Int) -> Bool {
      let deadline = Date().addingTimeInterval(20)
      while received.split(separator: "\n").count < count, Date() < deadline {
        let chunk = reader.availableData
        if chunk.isEmpty { break }
        received += String(decoding: chunk, as: UTF8.self)
      }
      return received.split(separator: "\n").count >= count
    }
    #expect(waitForLines(1))
    _ = try Self.meshc(["produce", "t", "--data-dir", data], stdin: "1\n2\n")
    #expect(waitForLines(3))
    kill(follower.processIdentifier, SIGINT)
    // Never hang the suite: a follower that ignored the interrupt is killed (and fails).
    let deadline = Date().addingTimeInterval(20)
    while follower.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if follower.isRunning { kill(follower.processIdentifier, SIGKILL) }
    follower.waitUntilExit()
    #expect(follower.terminationStatus == 0)
    let values = received.split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["value"] as? Int
    }
    #expect(values == [0, 1, 2])
    // The group committed what it printed.
    let rest = try Self.meshc(["consume", "t", "--group", "live", "--data-dir", data])
    #expect(rest.lines.isEmpty)
    #expect(rest.status == 0)
  }

  /// A long read (no --follow) stops at SIGTERM too, within a batch of records, and the
  /// group's offsets say where it stopped: the next read with the group gets the rest.
  /// (It used to be deaf to signals until it had printed everything.)
  @Test func aLongReadStopsAtSigtermAndCommitsWhereItStopped() throws {
    let data = try dataDirectory()
    let total = 200_000
    let input = (0..<total).map(String.init).joined(separator: "\n") + "\n"
    #expect(try Self.meshc(["produce", "t", "--data-dir", data], stdin: input).status == 0)
    let consumer = Process()
    consumer.executableURL = Fixtures.meshcBinary
    consumer.arguments = ["consume", "t", "--from-beginning", "--group", "g", "--data-dir", data]
    let output = Pipe()
    consumer.standardOutput = output
    consumer.standardError = Pipe()
    try consumer.run()
    let reader = output.fileHandleForReading
    var received = Data(reader.availableData)
    kill(consumer.processIdentifier, SIGTERM)
    while case let chunk = reader.availableData, !chunk.isEmpty { received += chunk }
    consumer.waitUntilExit()
    #expect(consumer.terminationStatus == 0)
    let first = received.split(separator: UInt8(ascii: "\n")).count
    #expect(first < total, "the consumer printed everything despite SIGTERM")
    let rest = try Self.meshc(["consume", "t", "--group", "g", "--data-dir", data])
    #expect(rest.status == 0)
    #expect(first + rest.lines.count == total)
  }
}
