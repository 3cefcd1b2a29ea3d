import Foundation
import MeshTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `meshc run --once` on a copy of the example mesh, as the binary: outputs, dead letters,
/// each file once, and kills at random moments that leave exactly what an uninterrupted
/// run writes.
@Suite struct RunTests {
  /// The example mesh without its data: manifests and schemas.
  static func mesh() throws -> URL {
    let root = try Fixtures.makeTemporaryDirectory("run")
    for item in ["mesh.yaml", "products", "schemas"] {
      try FileManager.default.copyItem(
        at: Fixtures.packageRoot.appendingPathComponent(item), to: root.appendingPathComponent(item))
    }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("data/stock"), withIntermediateDirectories: true)
    return root
  }

  /// A day's stock counts: every 17th line does not parse, every 5th is oversold.
  static func counts(day: Int, lines: Int) -> String {
    (0..<lines).map { line in
      let onHand = line % 17 == 16 ? "\"many\"" : "\(line % 50)"
      let reserved = line % 5 == 4 ? 60 : line % 7
      return
        #"{"sku": "sku-\#(line)", "warehouse": "w\#(day % 3)", "category": "c\#(line % 4)", "on_hand": \#(onHand), "#
        + #""reserved": \#(reserved), "counted_at": "2026-11-\#(10 + day)T08:00:00Z"}"#
    }.joined(separator: "\n") + "\n"
  }

  /// The values a topic holds for readers (committed records), sorted.
  static func values(_ topic: String, in root: URL, data: String = ".meshc") throws -> [String] {
    let consumed = try Meshc.run(["consume", topic, "--from-beginning", "--data-dir", data], in: root)
    return consumed.stdout.split(separator: "\n").compactMap { line -> String? in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let value = object["value"]
      else { return nil }
      let text = try? JSONSerialization.data(
        withJSONObject: ["key": object["key"] ?? NSNull(), "value": value], options: [.sortedKeys])
      return text.map { String(decoding: $0, as: UTF8.self) }
    }.sorted()
  }

  @Test func runsAProductOverEachFileOnce() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    try Data(Self.counts(day: 1, lines: 20).utf8).write(to: root.appendingPathComponent("data/stock/day1.jsonl"))
    let first = try Meshc.run(["run", "inventory.stock", "--once"], in: root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout
        == "inventory.stock: 1 file, 20 records in, 15 out, 5 dead-lettered, 4 failed not_oversold (checkpoint 1)\n")
    let levels = try Self.values("inventory.stock.levels", in: root)
    #expect(levels.count == 15)
    #expect(
      levels.contains(
        #"{"key":"sku-0|w1","value":{"available":0,"category":"c0","counted_at":1794384000000,"sku":"sku-0","warehouse":"w1"}}"#
      ))
    let letters = try Self.values("inventory.stock.dead-letter", in: root)
    #expect(letters.count == 5)
    #expect(letters.contains { $0.contains("day1.jsonl:17:67") && $0.contains("expected an int") })
    let again = try Meshc.run(["run", "inventory.stock", "--once"], in: root)
    #expect(again.stdout.hasPrefix("inventory.stock: 0 files, 0 records in"))
    try Data(Self.counts(day: 2, lines: 3).utf8).write(to: root.appendingPathComponent("data/stock/day2.jsonl"))
    try Data(Self.counts(day: 1, lines: 2).utf8).write(to: root.appendingPathComponent("data/stock/day1.jsonl"))
    let more = try Meshc.run(["run", "inventory.stock", "--once"], in: root)
    #expect(more.stdout.hasPrefix("inventory.stock: 2 files, 5 records in"), "\(more.stdout)")
    #expect(try Self.values("inventory.stock.levels", in: root).count == 15 + 5)
  }

  @Test func aKilledRunResumesAndWritesExactlyOnce() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    for day in 1...30 {
      try Data(Self.counts(day: day, lines: 300).utf8).write(
        to: root.appendingPathComponent("data/stock/day\(day < 10 ? "0" : "")\(day).jsonl"))
    }
    let whole = try Meshc.run(["run", "inventory.stock", "--once", "--data-dir", "whole"], in: root)
    #expect(whole.status == 0, "\(whole.stderr)")
    var random = SeededRandom(seed: nil)
    print("RunTests.aKilledRunResumesAndWritesExactlyOnce: seed \(random.seed)")
    var kills = 0
    var finished = false
    for _ in 0..<60 where !finished {
      let process = Process()
      process.executableURL = Fixtures.meshcBinary
      process.arguments = ["run", "inventory.stock", "--once", "--data-dir", "killed"]
      process.currentDirectoryURL = root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(5_000 + random.next() % 150_000))
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      finished = process.terminationReason == .exit && process.terminationStatus == 0
    }
    if !finished {
      let last = try Meshc.run(["run", "inventory.stock", "--once", "--data-dir", "killed"], in: root)
      #expect(last.status == 0, "\(last.stderr)")
    }
    let everything = try Meshc.run(
      ["consume", "inventory.stock.levels", "--from-beginning", "--read-uncommitted", "--data-dir", "killed"], in: root)
    let written = everything.stdout.split(separator: "\n").count
    print(
      "RunTests.aKilledRunResumesAndWritesExactlyOnce: \(kills) kills, \(written) records written, uncommitted ones set aside"
    )
    for topic in ["inventory.stock.levels", "inventory.stock.dead-letter"] {
      let expected = try Self.values(topic, in: root, data: "whole")
      let got = try Self.values(topic, in: root, data: "killed")
      #expect(got.count == expected.count, "\(topic), seed \(random.seed)")
      #expect(got == expected, "\(topic), seed \(random.seed)")
    }
  }

  @Test func aSecondRunOfTheSameProductIsRefused() throws {
    let root = try Self.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    let state = root.appendingPathComponent(".meshc/products/inventory.stock")
    try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
    let descriptor = open(state.appendingPathComponent("run.lock").path, O_RDWR | O_CREAT, 0o644)
    defer { close(descriptor) }
    #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
    let refused = try Meshc.run(["run", "inventory.stock", "--once"], in: root)
    #expect(refused.status == 1)
    #expect(
      refused.stderr.contains(
        "error[E1003]: inventory.stock: another run of inventory.stock is using this data directory"))
    let follow = try Meshc.run(["run", "inventory.stock"], in: root)
    #expect(follow.status == 2)
    #expect(follow.stderr.contains("error[E1002]"))
    let customers = root.appendingPathComponent("data/customers")
    try FileManager.default.createDirectory(at: customers, withIntermediateDirectories: true)
    try Data("not avro".utf8).write(to: customers.appendingPathComponent("bad.avro"))
    let damaged = try Meshc.run(["run", "customers.profiles", "--once"], in: root)
    #expect(damaged.status == 1)
    #expect(
      damaged.stderr.contains("error[E1001]: customers.profiles: input raw_changes: data/customers/bad.avro:"),
      "\(damaged.stderr)")
    let unsupported = try Meshc.run(["run", "sales.orders", "--once"], in: root)
    #expect(unsupported.stderr.contains("error[E1002]: sales.orders: step unique is a dedupe"), "\(unsupported.stderr)")
  }
}
