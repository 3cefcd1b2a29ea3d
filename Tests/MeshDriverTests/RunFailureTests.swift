import Foundation
import MeshDriver
import MeshTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A run that a full disk stops says why and keeps what it committed: run again once
/// there is room, it finishes with the same outputs as a run that never failed.
@Suite struct RunFailureTests {
  /// A topic's committed records as consumers see them: key and value, sorted.
  static func committed(_ topic: String, data: URL, io: SimulatedFileIO) throws -> [String] {
    var bytes: [UInt8] = []
    let report = MeshDriver.consume(
      topic: topic, options: ConsumeOptions(fromBeginning: true), LogCommandContext(dataDirectory: data.path, io: io)
    ) { output in
      bytes += output
      output.removeAll()
      return true
    }
    #expect(report.exitStatus == 0, "\(report.diagnostics.all.map(\.message))")
    return try String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { line in
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let pair: [String: Any] = ["key": object["key"] ?? NSNull(), "value": object["value"] ?? NSNull()]
      return String(decoding: try JSONSerialization.data(withJSONObject: pair, options: [.sortedKeys]), as: UTF8.self)
    }.sorted()
  }

  @Test func aFullDiskStopsTheRunWithItsCauseAndLosesNothingCommitted() throws {
    let root = try RunTests.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    for day in 1...3 {
      try Data(RunTests.counts(day: day, lines: 40).utf8).write(
        to: root.appendingPathComponent("data/stock/day\(day).jsonl"))
    }
    let topics = ["inventory.stock.levels", "inventory.stock.dead-letter"]
    func run(_ data: URL, _ io: SimulatedFileIO) -> Report {
      // The simulated file system holds the data directory's ancestors too.
      var path = ""
      for part in data.path.split(separator: "/") {
        path += "/\(part)"
        try? io.createDirectory(path)
      }
      return MeshDriver.run(
        targets: ["inventory.stock"], context: LogCommandContext(dataDirectory: data.path, io: io), once: true,
        currentDirectory: root)
    }
    let clean = SimulatedFileIO()
    let whole = root.appendingPathComponent("whole")
    #expect(run(whole, clean).exitStatus == 0)
    let expected = try topics.map { try Self.committed($0, data: whole, io: clean) }
    #expect(expected[0].count > 50)

    // The disk fills up after the first file: every later write of a segment fails.
    let io = SimulatedFileIO()
    io.addFault(.init(.write, pathSuffix: ".log", skip: 2, count: 1_000_000, errno: ENOSPC))
    let data = root.appendingPathComponent("full")
    let full = run(data, io)
    #expect(full.exitStatus == 1)
    let failure = full.diagnostics.all.first { $0.code.id == "E1001" }
    #expect(failure?.message.hasPrefix("inventory.stock: ") == true, "\(full.diagnostics.all.map(\.message))")
    #expect(
      failure?.message.localizedCaseInsensitiveContains("space") == true, "\(full.diagnostics.all.map(\.message))")
    #expect(failure?.help?.contains("run it again") == true)
    let partial = try Self.committed(topics[0], data: data, io: io)
    #expect(!partial.isEmpty && partial.count < expected[0].count, "\(partial.count) of \(expected[0].count)")
    print(
      "RunFailureTests: \(failure?.message ?? ""); \(partial.count) of \(expected[0].count) records committed before")
    #expect(Set(partial).isSubset(of: Set(expected[0])))

    io.clearFaults()
    #expect(run(data, io).exitStatus == 0)
    #expect(try topics.map { try Self.committed($0, data: data, io: io) } == expected)
  }
}
