import Foundation
import MeshBytes
import MeshTestSupport
import Testing

@testable import MeshRuntime

/// Both state stores, and keyed state over them, against a dictionary: random puts and
/// deletes, checkpoints, reopenings from a checkpoint (what a crashed attempt wrote after
/// it gone), and the move from memory to RocksDB past the budget.
@Suite struct StateStoreTests {
  struct Number: StateValue, Equatable {
    var value: Int64
    func encode(to out: inout ByteWriter) { out.writeZigZag(value) }
    init(_ value: Int64) { self.value = value }
    init(from reader: inout ByteReader) throws(ByteReaderError) { value = try reader.readZigZag() }
  }

  static func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("meshc-\(name)-\(UUID())")
  }

  static func entries(_ store: any StateStore) throws -> [[UInt8]: [UInt8]] {
    var all: [[UInt8]: [UInt8]] = [:]
    var previous: [UInt8]?
    try store.forEachEntry { key, value in
      if store is RocksDBStateStore {
        #expect(previous.map { $0.lexicographicallyPrecedes(key) } ?? true, "keys in byte order")
      }
      previous = key
      all[key] = value
    }
    return all
  }

  @Test(arguments: ["memory", "rocksdb"])
  func aStoreReopensAsItsLastCheckpointHadIt(backend: String) throws {
    let root = Self.temporary("store")
    defer { try? FileManager.default.removeItem(at: root) }
    let live = root.appendingPathComponent("live")
    func open(_ checkpoint: URL?) throws -> any StateStore {
      switch (backend, checkpoint) {
      case ("memory", nil): MemoryStateStore()
      case ("memory", let checkpoint?): try MemoryStateStore(checkpoint: checkpoint)
      default: try RocksDBStateStore(live: live, checkpoint: checkpoint)
      }
    }
    var store = try open(nil)
    var random = SeededRandom()
    var model: [[UInt8]: [UInt8]] = [:]
    var committed: (checkpoint: URL, entries: [[UInt8]: [UInt8]])?
    for round in 0..<16 {
      var changes: [(key: [UInt8], value: [UInt8]?)] = []
      for _ in 0..<300 {
        let key = Array("k\(Int.random(in: 0..<200, using: &random))".utf8)
        let length = Int.random(in: 0..<40, using: &random)
        let value: [UInt8]? =
          Int.random(in: 0..<5, using: &random) == 0
          ? nil : (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
        changes.append((key, value))
        model[key] = value
      }
      try store.apply(changes)
      for (key, _) in changes.prefix(20) { #expect(try store.value(for: key) == model[key]) }
      #expect(try Self.entries(store) == model)
      if round % 2 == 1 {
        let checkpoint = root.appendingPathComponent("checkpoint-\(round)")
        try store.checkpoint(into: checkpoint)
        committed = (checkpoint, model)
      } else if let committed, round % 4 == 0 {
        // A crash after writes no checkpoint took: reopened, the store is the checkpoint's.
        store = MemoryStateStore()
        store = try open(committed.checkpoint)
        #expect(try Self.entries(store) == committed.entries)
        model = committed.entries
      }
    }
    #expect(store.count > 100)
  }

  @Test func aDamagedMemoryCheckpointIsRefused() throws {
    let root = Self.temporary("damaged")
    defer { try? FileManager.default.removeItem(at: root) }
    let store = MemoryStateStore()
    store.apply([(Array("key".utf8), Array("value".utf8))])
    try store.checkpoint(into: root)
    let file = root.appendingPathComponent(MemoryStateStore.fileName)
    var bytes = [UInt8](try Data(contentsOf: file))
    bytes[bytes.count / 2] ^= 0x40
    try Data(bytes).write(to: file)
    #expect(throws: RunFailure.self) { try MemoryStateStore(checkpoint: root) }
    try FileManager.default.removeItem(at: file)
    #expect(throws: RunFailure.self) { try MemoryStateStore(checkpoint: root) }
  }

  @Test func keyedStateMovesToRocksDBPastItsBudgetAndKeepsEveryValue() throws {
    let root = Self.temporary("keyed")
    defer { try? FileManager.default.removeItem(at: root) }
    let live = root.appendingPathComponent("live")
    var state = try KeyedState<Number>(StateContext(live: live, checkpoint: nil, memoryBudget: 4096), step: "t")
    var model: [StateKey: Int64] = [:]
    var random = SeededRandom()
    for batch in 0..<40 {
      for _ in 0..<100 {
        let key = StateKey(Array("group-\(Int.random(in: 0..<2000, using: &random))".utf8))
        let next = (try state[key]?.value ?? 0) + 1
        if Int.random(in: 0..<10, using: &random) == 0 {
          state.set(key, nil)
          model[key] = nil
        } else {
          state.set(key, Number(next))
          model[key] = next
        }
      }
      try state.endOfBatch()
      if batch == 20 {
        #expect(state.spilled, "4 KiB hold a few hundred groups, not thousands")
        let checkpoint = root.appendingPathComponent("checkpoint")
        try state.checkpoint(into: checkpoint)
        state = try KeyedState<Number>(
          StateContext(live: root.appendingPathComponent("live-2"), checkpoint: checkpoint, memoryBudget: 4096),
          step: "t")
        #expect(state.spilled)
      }
    }
    var all: [StateKey: Int64] = [:]
    try state.forEachEntry { key, number in all[key] = number.value }
    #expect(all == model)
    for (key, value) in model.prefix(50) { #expect(try state[key]?.value == value) }
  }
}
