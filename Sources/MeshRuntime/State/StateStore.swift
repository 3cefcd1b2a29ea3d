public import Foundation

/// An operator's keyed state as bytes, behind one protocol so that its backing can change
/// (CONVENTIONS.md, "The runtime's shape"): `MemoryStateStore` keeps it in a dictionary and
/// checkpoints it whole into one file, as Flink's heap backend does; `RocksDBStateStore`
/// keeps it on disk and checkpoints by hard links, as Kafka Streams and Flink's RocksDB
/// backend do. `KeyedState` chooses between them by size (docs/runtime.md, "State").
///
/// Changes since the last checkpoint are the store's own: a restart opens the store from
/// the checkpoint's copy, never from what a crashed run left. Not thread-safe: one
/// operator owns a store.
public protocol StateStore: AnyObject {
  func value(for key: [UInt8]) throws(RunFailure) -> [UInt8]?
  /// Puts (a value) and deletes (nil) in one write.
  func apply(_ changes: [(key: [UInt8], value: [UInt8]?)]) throws(RunFailure)
  /// Every entry (in RocksDB's, the keys' byte order; in a dictionary's, none).
  func forEachEntry(_ body: ([UInt8], [UInt8]) throws(RunFailure) -> Void) throws(RunFailure)
  /// Writes a consistent copy of the store, synced, into `directory`, which does not exist yet.
  func checkpoint(into directory: URL) throws(RunFailure)
  /// Entries held (an estimate for RocksDB).
  var count: Int { get }
}
