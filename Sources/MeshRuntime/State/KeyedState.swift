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

/// An operator's values by key, decoded in a write-back cache over a `StateStore`: a
/// `MemoryStateStore` while the encoded state stays within the memory budget, then — once,
/// for the rest of the product's life — a `RocksDBStateStore`, with the cache bounded by
/// the budget too. Measured in docs/runtime.md ("State"): below the budget the dictionary
/// is faster and its whole-state checkpoints are cheap; above it memory, not speed, decides.
///
/// Changes reach the store at `endOfBatch` when the cache is over its share of the budget,
/// and at checkpoints. Not thread-safe: one operator owns it.
final class KeyedState<Value: StateValue> {
  private var store: any StateStore
  private let context: StateContext
  private let step: String
  private var cache: [[UInt8]: Value] = [:]
  /// Keys whose cached value (or absence, for removals) the store does not have yet.
  private var dirty: Set<[UInt8]> = []
  /// Encoded bytes of the values written so far, for the cache's size in entries.
  private var encodedBytes = 0
  private var encodedValues = 0

  init(_ context: StateContext, step: String) throws(RunFailure) {
    self.context = context
    self.step = step
    if let checkpoint = context.checkpoint,
      FileManager.default.fileExists(
        atPath: checkpoint.appendingPathComponent(RocksDBStateStore.directoryName).path)
    {
      store = try RocksDBStateStore(live: context.live, checkpoint: checkpoint)
    } else if let checkpoint = context.checkpoint {
      store = try MemoryStateStore(checkpoint: checkpoint)
    } else {
      store = MemoryStateStore()
    }
  }

  /// Whether the state has moved to RocksDB.
  var spilled: Bool { store is RocksDBStateStore }

  subscript(key: [UInt8]) -> Value? {
    get throws(RunFailure) {
      if let value = cache[key] { return value }
      if dirty.contains(key) { return nil }
      guard let bytes = try store.value(for: key) else { return nil }
      let value = try decode(bytes)
      cache[key] = value
      return value
    }
  }

  func set(_ key: [UInt8], _ value: Value?) {
    cache[key] = value
    dirty.insert(key)
  }

  /// Entries in the keys' byte order (the cache's changes first written to the store).
  func forEachEntry(_ body: ([UInt8], Value) throws(RunFailure) -> Void) throws(RunFailure) {
    try flush()
    try store.forEachEntry { key, bytes throws(RunFailure) in try body(key, try decode(bytes)) }
  }

  /// Keeps memory within the budget: the cache written back and emptied when over its
  /// share, the store moved to RocksDB when the dictionary outgrows the budget.
  func endOfBatch() throws(RunFailure) {
    let averageBytes = encodedValues == 0 ? 64 : max(16, encodedBytes / encodedValues)
    // Decoded values take several times their encoded bytes; the cache gets a quarter.
    if cache.count * averageBytes * 4 > context.memoryBudget / 4 {
      try flush()
      cache.removeAll()
    }
    if store is MemoryStateStore, store.memoryBytes > context.memoryBudget {
      try flush()
      try spill()
    }
  }

  func checkpoint(into directory: URL) throws(RunFailure) {
    try flush()
    try store.checkpoint(into: directory)
  }

  private func flush() throws(RunFailure) {
    guard !dirty.isEmpty else { return }
    var out = ByteWriter()
    var changes: [(key: [UInt8], value: [UInt8]?)] = []
    changes.reserveCapacity(dirty.count)
    for key in dirty {
      guard let value = cache[key] else {
        changes.append((key, nil))
        continue
      }
      out.removeAll()
      value.encode(to: &out)
      encodedBytes &+= out.bytes.count
      encodedValues &+= 1
      changes.append((key, out.bytes))
    }
    try store.apply(changes)
    dirty.removeAll(keepingCapacity: true)
  }

  /// The dictionary's entries written into a fresh RocksDB store, which replaces it.
  private func spill() throws(RunFailure) {
    let rocks = try RocksDBStateStore(live: context.live)
    var changes: [(key: [UInt8], value: [UInt8]?)] = []
    try store.forEachEntry { key, value throws(RunFailure) in
      changes.append((key, value))
      if changes.count == 65_536 {
        try rocks.apply(changes)
        changes.removeAll(keepingCapacity: true)
      }
    }
    try rocks.apply(changes)
    store = rocks
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
