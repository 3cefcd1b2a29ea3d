import Foundation
import MeshConnectors
import MeshRuntime
import MeshTestSupport
import Testing

@Suite struct CheckpointStoreTests {
  @Test func theLatestReadableCheckpointWins() throws {
    let directory = try Fixtures.makeTemporaryDirectory("checkpoints")
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = CheckpointStore(directory: directory)
    #expect(try store.latest() == nil)
    var tracker = FileTracker()
    tracker.markConsumed(FileIdentity(path: "data/a.csv", size: 3, checksum: 7))
    for id in 1...4 {
      try store.commit(
        ProductCheckpoint(
          id: Int64(id), inputs: ["raw": tracker], topicEnds: ["t": ["0": Int64(id * 10)]],
          aborted: ["t": ["0": [.init(start: 3, end: 5)]]]))
    }
    let latest = try #require(try store.latest())
    #expect(latest.id == 4)
    #expect(latest.inputs["raw"] == tracker)
    #expect(latest.isCommitted(topic: "t", partition: 0, offset: 2))
    #expect(!latest.isCommitted(topic: "t", partition: 0, offset: 4))
    #expect(!latest.isCommitted(topic: "t", partition: 0, offset: 40))
    // Older checkpoints are pruned but the one before is kept; a torn newest falls back.
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["checkpoint-3.json", "checkpoint-4.json"])
    try Data("{\"id\": 4, \"inp".utf8).write(to: directory.appendingPathComponent("checkpoint-4.json"))
    #expect(try store.latest()?.id == 3)
    try Data("garbage".utf8).write(to: directory.appendingPathComponent("checkpoint-3.json"))
    #expect(throws: RunFailure.self) { try store.latest() }
  }
}
