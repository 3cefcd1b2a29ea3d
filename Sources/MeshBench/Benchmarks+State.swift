import Dispatch
import Foundation
import MeshData
import MeshPlan
import MeshRuntime

/// `meshc bench state`: the table aggregate (count, sum and max of the amount per
/// customer) over N generated orders of K customers, checkpointed every C records, once
/// with its groups in RocksDB from the start and once in memory — the two state backends
/// on the same work, for the budget at which one should give way to the other. Times the
/// operator's calls and the checkpoints; peak resident memory sampled per batch (RocksDB
/// runs first, so that the dictionary's memory does not hide its own).
public struct BenchStateResult: Sendable {
  public struct Line: Sendable {
    public var backend: String
    public var seconds: Double
    public var checkpointSeconds: Double
    public var checkpoints: Int
    public var lastCheckpointBytes: Int64
    public var peakResidentBytes: Int64
  }

  public var records: Int
  public var keys: Int
  public var lines: [Line]

  public var text: String {
    var out = "meshc bench state: a table aggregate over \(records) orders of \(keys) customers\n"
    for line in lines {
      out += String(
        format: "  %-8@ %.2f s  %.2f M records/s  %d checkpoints %.2f s (last %lld MB)  peak resident %lld MB\n",
        line.backend, line.seconds, Double(records) / line.seconds / 1e6, line.checkpoints, line.checkpointSeconds,
        line.lastCheckpointBytes / 1_048_576, line.peakResidentBytes / 1_048_576)
    }
    if lines.count == 2 {
      out += String(format: "  rocksdb / memory: %.2f of the speed\n", lines[0].seconds / lines[1].seconds)
    }
    return out
  }
}

enum BenchState {
  static let input = RecordSchema(name: "orders", fields: Array(BenchJoin.orders.fields))
  static let output = RecordSchema(
    name: "totals",
    fields: [
      DataField(name: "customer", type: .string, nullable: false),
      DataField(name: "orders", type: .int64, nullable: false),
      DataField(name: "total", type: .float64, nullable: true),
      DataField(name: "largest", type: .float64, nullable: true),
    ])

  static var plan: AggregatePlan {
    let amount = BoundExpression.field(
      FieldReference(path: [2], names: ["amount"]), ValueType(.float64, nullable: false))
    return AggregatePlan(
      groupBy: [FieldReference(path: [1], names: ["customer"])], window: nil,
      measures: [
        .aggregate(.count, nil, ValueType(.int64, nullable: false)),
        .aggregate(.sum, amount, ValueType(.float64, nullable: true)),
        .aggregate(.max, amount, ValueType(.float64, nullable: true)),
      ])
  }

  /// Resident memory now, from /proc (0 where there is none).
  static func residentBytes() -> Int64 {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
      let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int64($0) })
    else { return 0 }
    return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
  }

  static func bytes(under directory: URL) -> Int64 {
    let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey])
    var total: Int64 = 0
    while let file = files?.nextObject() as? URL {
      total += Int64((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
    }
    return total
  }

  static func run(
    backend: String, records: Int, keys: Int, checkpointEvery: Int, in root: URL
  ) throws -> BenchStateResult.Line {
    let op = try TableAggregateOperator(
      name: "totals", schema: output, input: input, plan: plan, eventTime: "placed_at")
    let directory = root.appendingPathComponent(backend)
    try op.openState(
      StateContext(
        live: directory.appendingPathComponent("live"), checkpoint: nil,
        memoryBudget: backend == "rocksdb" ? 0 : .max))
    var clock = Stopwatch()
    var checkpointClock = Stopwatch()
    var peak = residentBytes()
    var checkpoints: [URL] = []
    var sinceCheckpoint = 0
    for chunk in BenchJoin.chunks(records) {
      let batch = BenchJoin.orders(chunk, keys: keys)
      try clock.time { () throws(RunFailure) in _ = try op.process(batch) }
      sinceCheckpoint += chunk.count
      if sinceCheckpoint >= checkpointEvery || chunk.upperBound == records {
        sinceCheckpoint = 0
        let checkpoint = directory.appendingPathComponent("checkpoint-\(checkpoints.count)")
        try checkpointClock.time { () throws(RunFailure) in try op.checkpointState(into: checkpoint) }
        checkpoints.append(checkpoint)
        // As the runner does: the previous checkpoint is kept, older ones removed.
        if checkpoints.count > 2 { try? FileManager.default.removeItem(at: checkpoints[checkpoints.count - 3]) }
      }
      peak = max(peak, residentBytes())
    }
    return BenchStateResult.Line(
      backend: backend, seconds: clock.seconds + checkpointClock.seconds, checkpointSeconds: checkpointClock.seconds,
      checkpoints: checkpoints.count, lastCheckpointBytes: checkpoints.last.map { bytes(under: $0) } ?? 0,
      peakResidentBytes: peak)
  }
}

extension Benchmarks {
  /// `backends`: "rocksdb", "memory", or both (in that order).
  public static func benchState(
    records: Int, keys: Int, checkpointEvery: Int, backends: [String] = ["rocksdb", "memory"]
  ) throws -> BenchStateResult {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-bench-state-\(getpid())")
    try? FileManager.default.removeItem(at: root)
    defer { try? FileManager.default.removeItem(at: root) }
    var lines: [BenchStateResult.Line] = []
    for backend in backends {
      lines.append(
        try BenchState.run(
          backend: backend, records: records, keys: keys, checkpointEvery: checkpointEvery, in: root))
    }
    return BenchStateResult(records: records, keys: keys, lines: lines.reversed())
  }
}
