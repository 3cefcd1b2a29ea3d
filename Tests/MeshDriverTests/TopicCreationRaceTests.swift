import Foundation
import MeshLog
import MeshTestSupport
import Testing

/// Processes that create topics at the same time, as `meshc produce` does for a topic
/// that does not exist yet: the topic is created once and whole (this used to fail every
/// process and sometimes leave a topic without `topic.conf`). Producers of one topic then
/// meet its single-writer lock: each either appends or is told another process writes
/// the topic (E0715), and every record acknowledged is there.
@Suite struct TopicCreationRaceTests {
  /// Starts `count` `meshc produce` processes at once and waits for all of them.
  static func produceAtOnce(_ topics: [String], data: String) throws -> [(status: Int32, stderr: String)] {
    let processes = topics.map { topic -> Process in
      let process = Process()
      process.executableURL = Fixtures.meshcBinary
      process.arguments = ["produce", topic, "--data-dir", data]
      let input = Pipe()
      process.standardInput = input
      process.standardOutput = FileHandle.nullDevice
      process.standardError = Pipe()
      return process
    }
    for process in processes { try process.run() }
    for process in processes {
      if let input = process.standardInput as? Pipe {
        input.fileHandleForWriting.write(Data("{\"n\": 1}\n".utf8))
        try input.fileHandleForWriting.close()
      }
    }
    return processes.map { process in
      let errors = (process.standardError as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
      process.waitUntilExit()
      return (process.terminationStatus, String(decoding: errors, as: UTF8.self))
    }
  }

  @Test func creatorsOfOneTopicAllSucceed() throws {
    let rounds = ProcessInfo.processInfo.environment["MESHC_LONG_TESTS"] == "1" ? 100 : 12
    for round in 0..<rounds {
      let data = try Fixtures.makeTemporaryDirectory("topic-race").path
      let outcomes = try Self.produceAtOnce(Array(repeating: "orders", count: 4), data: data)
      for outcome in outcomes where outcome.status != 0 {
        #expect(outcome.status == 1 && outcome.stderr.contains("E0715"), "round \(round): \(outcome.stderr)")
      }
      let log = try Log.open(directory: data, writable: false)
      #expect(try log.topicNames() == ["orders"], "round \(round)")
      let partition = try log.topic("orders").partitions[0]
      let appended = outcomes.count { $0.status == 0 }
      #expect(appended >= 1 && partition.snapshot().endOffset.value == Int64(appended), "round \(round)")
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: data + "/topics").filter {
        $0.hasPrefix(".creating-") || $0.hasPrefix(".deleting-")
      }
      #expect(leftovers.isEmpty, "round \(round): \(leftovers)")
    }
  }

  @Test func creatorsOfDifferentTopicsAllSucceed() throws {
    let rounds = ProcessInfo.processInfo.environment["MESHC_LONG_TESTS"] == "1" ? 100 : 8
    for round in 0..<rounds {
      let data = try Fixtures.makeTemporaryDirectory("topic-race").path
      let names = ["a", "b", "c", "d"]
      let outcomes = try Self.produceAtOnce(names, data: data)
      #expect(outcomes.allSatisfy { $0.status == 0 }, "round \(round): \(outcomes.map(\.stderr))")
      #expect(try Log.open(directory: data, writable: false).topicNames() == names, "round \(round)")
    }
  }

  /// The longest valid name fits: staging names no longer carry the topic's name.
  @Test func theLongestTopicNameCanBeCreatedAndDeleted() throws {
    let data = try Fixtures.makeTemporaryDirectory("topic-race").path
    let log = try Log.open(directory: data)
    let name = String(repeating: "t", count: 249)
    _ = try log.createTopic(name, config: TopicConfig())
    try log.deleteTopic(name)
    #expect(try log.topicNames().isEmpty)
    try log.close()
  }
}
