public import Foundation
import MeshBytes

/// A value an operator keeps in keyed state, as bytes in its store.
protocol StateValue {
  func encode(to out: inout ByteWriter)
  init(from reader: inout ByteReader) throws(ByteReaderError)
}

/// Where an operator's keyed state lives: `live`, the running attempt's own directory
/// (RocksDB works there), and the checkpoint to open it from (nil: a first run).
public struct StateContext: Sendable {
  public var live: URL
  public var checkpoint: URL?
  /// Bytes of state to hold in memory; beyond them the state moves to RocksDB.
  public var memoryBudget: Int

  public init(live: URL, checkpoint: URL?, memoryBudget: Int) {
    self.live = live
    self.checkpoint = checkpoint
    self.memoryBudget = memoryBudget
  }
}

/// An operator's values by key. While their encoded size (estimated from the last
/// checkpoint's) stays within the memory budget they are all in memory, decoded, and each
/// checkpoint writes them whole in `MemoryStateStore`'s file, as Flink's heap backend does.
/// Past the budget they move — once, for the rest of the product's life — to a
/// `RocksDBStateStore`, with a write-back cache of decoded values bounded by the budget in
/// front of it. Measured by `meshc bench state` (docs/runtime.md, "State"): below the budget
/// memory is the faster; above it, RocksDB's memory stays flat and its checkpoints cost
/// what changed.
///
/// With RocksDB, changes reach it at `endOfBatch` when the cache is over its share of the
/// budget, and at checkpoints. Not thread-safe: one operator owns it.
final class KeyedState<Value: StateValue> {
  private let context: StateContext
  private let step: String
  /// Nil while the state is in memory: `cache` then holds every value.
  private var disk: RocksDBStateStore?
  private var cache: [StateKey: Value] = [:]
  /// With RocksDB: keys whose cached value (or absence, for removals) it does not have yet.
  private var dirty: Set<StateKey> = []
  /// Bytes of values encoded so far, and how many: their average sizes the state.
  private var encodedBytes = 0
  private var encodedValues = 0

  /// Empty, in memory for good (no budget): an operator's state before `openState`.
  init(inMemoryFor step: String) {
    // Its own directory all the same: a RocksDB store removes its directory when it closes.
    let live = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-state-\(UUID().uuidString)")
    context = StateContext(live: live, checkpoint: nil, memoryBudget: .max)
    self.step = step
  }

  init(_ context: StateContext, step: String) throws(RunFailure) {
    self.context = context
    self.step = step
    guard let checkpoint = context.checkpoint else { return }
    if FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent(RocksDBStateStore.directoryName).path) {
      disk = try RocksDBStateStore(live: context.live, checkpoint: checkpoint)
      return
    }
    var values: [StateKey: Value] = [:]
    try MemoryStateStore.read(checkpoint: checkpoint) { key, bytes throws(RunFailure) in
      values[StateKey(key)] = try decode(bytes)
      encodedBytes += key.count + bytes.count
      encodedValues += 1
    }
    cache = values
  }

  /// Whether the state has moved to RocksDB.
  var spilled: Bool { disk != nil }

  subscript(key: StateKey) -> Value? {
    get throws(RunFailure) {
      if let value = cache[key] { return value }
      guard let disk, !dirty.contains(key), let bytes = try disk.value(for: key.bytes) else { return nil }
      let value = try decode(bytes)
      cache[key] = value
      return value
    }
  }

  /// The value of `key`, moved out of the cache so that changing it copies nothing: the
  /// caller `set`s it back.
  func take(_ key: StateKey) throws(RunFailure) -> Value? {
    if let value = cache.removeValue(forKey: key) { return value }
    guard let disk, !dirty.contains(key), let bytes = try disk.value(for: key.bytes) else { return nil }
    return try decode(bytes)
  }

  func set(_ key: StateKey, _ value: Value?) {
    if let value { cache[key] = value } else { cache.removeValue(forKey: key) }
    if disk != nil { dirty.insert(key) }
  }

  /// Every entry (in the keys' byte order once in RocksDB).
  func forEachEntry(_ body: (StateKey, Value) throws(RunFailure) -> Void) throws(RunFailure) {
    guard let disk else {
      for (key, value) in cache { try body(key, value) }
      return
    }
    try flush()
    try disk.forEachEntry { key, bytes throws(RunFailure) in try body(StateKey(key), try decode(bytes)) }
  }

  /// The entries whose keys come before `limit` (all, without one), in the keys' byte
  /// order: what a state keyed by time first has to emit. `body` may `set` entries.
  func forEachEntry(
    before limit: StateKey?, _ body: (StateKey, Value) throws(RunFailure) -> Void
  ) throws(RunFailure) {
    guard let disk else {
      let entries = cache.filter { limit.map($0.key.precedes) ?? true }.sorted { $0.key.precedes($1.key) }
      for (key, value) in entries { try body(key, value) }
      return
    }
    try flush()
    try disk.forEachEntry(before: limit?.bytes) { key, bytes throws(RunFailure) in
      try body(StateKey(key), try decode(bytes))
    }
  }

  private var averageBytes: Int { encodedValues == 0 ? 64 : max(16, encodedBytes / encodedValues) }

  /// Keeps memory within the budget: the state moved to RocksDB once it outgrows it, the
  /// cache then written back and emptied when over half the budget.
  func endOfBatch() throws(RunFailure) {
    guard cache.count * averageBytes > (disk == nil ? context.memoryBudget : context.memoryBudget / 2) else { return }
    if disk == nil { try spill() }
    try flush()
    cache.removeAll()
  }

  func checkpoint(into directory: URL) throws(RunFailure) {
    if let disk {
      try flush()
      return try disk.checkpoint(into: directory)
    }
    var out = ByteWriter()
    var total = 0
    try MemoryStateStore.write(count: cache.count, into: directory) { write in
      for (key, value) in cache {
        out.removeAll()
        value.encode(to: &out)
        total += key.count + out.bytes.count
        write(key.bytes, out.bytes)
      }
    }
    // This checkpoint's sizes stand for the state's from now on.
    (encodedBytes, encodedValues) = (total, cache.count)
  }

  private func flush() throws(RunFailure) {
    guard let disk, !dirty.isEmpty else { return }
    var out = ByteWriter()
    var changes: [(key: [UInt8], value: [UInt8]?)] = []
    changes.reserveCapacity(dirty.count)
    for key in dirty {
      guard let value = cache[key] else {
        changes.append((key.bytes, nil))
        continue
      }
      out.removeAll()
      value.encode(to: &out)
      encodedBytes &+= key.count + out.bytes.count
      encodedValues &+= 1
      changes.append((key.bytes, out.bytes))
    }
    try disk.apply(changes)
    dirty.removeAll(keepingCapacity: true)
  }

  /// Every value written into a fresh RocksDB store, which holds the state from now on.
  private func spill() throws(RunFailure) {
    let rocks = try RocksDBStateStore(live: context.live)
    var out = ByteWriter()
    var changes: [(key: [UInt8], value: [UInt8]?)] = []
    (encodedBytes, encodedValues) = (0, 0)
    for (key, value) in cache {
      out.removeAll()
      value.encode(to: &out)
      encodedBytes &+= key.count + out.bytes.count
      encodedValues &+= 1
      changes.append((key.bytes, out.bytes))
      if changes.count == 65_536 {
        try rocks.apply(changes)
        changes.removeAll(keepingCapacity: true)
      }
    }
    try rocks.apply(changes)
    disk = rocks
    dirty.removeAll()
  }

  private func decode(_ bytes: [UInt8]) throws(RunFailure) -> Value {
    var reader = ByteReader(bytes)
    do {
      return try Value(from: &reader)
    } catch {
      throw RunFailure("step \(step): its state is damaged (\(error))")
    }
  }
}
