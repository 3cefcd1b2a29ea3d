import CRocksDB
public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// State on disk in RocksDB (Debian's `librocksdb-dev`, through its C API), for state
/// larger than memory should hold: memory stays at the write buffers and the block cache
/// whatever the state's size, and a checkpoint is RocksDB's own — the write buffer flushed
/// and the immutable table files hard-linked into the checkpoint's directory — so it costs
/// what changed since the last one, not the whole state.
///
/// The database works in `live`, which belongs to the running attempt: opened from a
/// checkpoint, `live` is rebuilt from it (table files linked, the rest copied), so that
/// what a crashed run wrote after its last checkpoint is gone. Writes skip RocksDB's own
/// log for the same reason: nothing after a checkpoint needs to survive a crash. Closing
/// the store removes `live`.
public final class RocksDBStateStore: StateStore {
  static let directoryName = "rocksdb"
  /// Write buffer and block cache: the memory a store holds, whatever the state's size.
  static let writeBufferBytes = 16 << 20
  static let blockCacheBytes = 16 << 20

  private let database: OpaquePointer
  private let options: OpaquePointer
  private let tableOptions: OpaquePointer
  private let cache: OpaquePointer
  private let readOptions: OpaquePointer
  private let writeOptions: OpaquePointer
  public let live: URL

  /// Opens the store in `live`: empty, or as the checkpoint in `checkpoint` holds it.
  public init(live: URL, checkpoint: URL? = nil) throws(RunFailure) {
    self.live = live
    try? FileManager.default.removeItem(at: live)
    if let checkpoint {
      try Self.copy(checkpoint.appendingPathComponent(Self.directoryName), to: live)
    } else {
      try StateFiles.createDirectory(live)
    }
    options = rocksdb_options_create()
    rocksdb_options_set_create_if_missing(options, 1)
    rocksdb_options_set_compression(options, Int32(rocksdb_lz4_compression))
    rocksdb_options_set_write_buffer_size(options, Self.writeBufferBytes)
    rocksdb_options_set_max_open_files(options, 256)
    rocksdb_options_set_keep_log_file_num(options, 2)
    cache = rocksdb_cache_create_lru(Self.blockCacheBytes)
    tableOptions = rocksdb_block_based_options_create()
    rocksdb_block_based_options_set_block_cache(tableOptions, cache)
    // Most lookups are of keys not there yet (a new group, a new row): a bloom filter
    // answers those without reading a block.
    rocksdb_block_based_options_set_filter_policy(tableOptions, rocksdb_filterpolicy_create_bloom(10))
    rocksdb_options_set_block_based_table_factory(options, tableOptions)
    readOptions = rocksdb_readoptions_create()
    writeOptions = rocksdb_writeoptions_create()
    rocksdb_writeoptions_disable_WAL(writeOptions, 1)
    var error: UnsafeMutablePointer<CChar>?
    let opened = rocksdb_open(options, live.path, &error)
    guard let opened, error == nil else {
      let message = Self.take(error) ?? "unknown error"
      rocksdb_readoptions_destroy(readOptions)
      rocksdb_writeoptions_destroy(writeOptions)
      rocksdb_options_destroy(options)
      rocksdb_block_based_options_destroy(tableOptions)
      rocksdb_cache_destroy(cache)
      throw RunFailure("opening the state in \(live.path): \(message)")
    }
    database = opened
  }

  deinit {
    rocksdb_close(database)
    rocksdb_readoptions_destroy(readOptions)
    rocksdb_writeoptions_destroy(writeOptions)
    rocksdb_options_destroy(options)
    rocksdb_block_based_options_destroy(tableOptions)
    rocksdb_cache_destroy(cache)
    try? FileManager.default.removeItem(at: live)
  }

  public var count: Int {
    var value: UInt64 = 0
    _ = rocksdb_property_int(database, "rocksdb.estimate-num-keys", &value)
    return Int(clamping: value)
  }

  public func value(for key: [UInt8]) throws(RunFailure) -> [UInt8]? {
    var error: UnsafeMutablePointer<CChar>?
    var length = 0
    let found = key.withUnsafeBufferPointer { key in
      key.withMemoryRebound(to: CChar.self) {
        rocksdb_get(database, readOptions, $0.baseAddress, $0.count, &length, &error)
      }
    }
    if let message = Self.take(error) { throw RunFailure("reading the state in \(live.path): \(message)") }
    guard let found else { return nil }
    defer { rocksdb_free(found) }
    return Array(UnsafeRawBufferPointer(start: found, count: length))
  }

  public func apply(_ changes: [(key: [UInt8], value: [UInt8]?)]) throws(RunFailure) {
    guard !changes.isEmpty else { return }
    let batch = rocksdb_writebatch_create()
    defer { rocksdb_writebatch_destroy(batch) }
    for (key, value) in changes {
      key.withUnsafeBufferPointer { key in
        key.withMemoryRebound(to: CChar.self) { key in
          guard let value else { return rocksdb_writebatch_delete(batch, key.baseAddress, key.count) }
          value.withUnsafeBufferPointer { value in
            value.withMemoryRebound(to: CChar.self) {
              rocksdb_writebatch_put(batch, key.baseAddress, key.count, $0.baseAddress, $0.count)
            }
          }
        }
      }
    }
    var error: UnsafeMutablePointer<CChar>?
    rocksdb_write(database, writeOptions, batch, &error)
    if let message = Self.take(error) { throw RunFailure("writing the state in \(live.path): \(message)") }
  }

  public func forEachEntry(_ body: ([UInt8], [UInt8]) throws(RunFailure) -> Void) throws(RunFailure) {
    try forEachEntry(before: nil, body)
  }

  /// The entries whose keys come before `limit` in byte order (all, without one), in
  /// that order.
  public func forEachEntry(
    before limit: [UInt8]?, _ body: ([UInt8], [UInt8]) throws(RunFailure) -> Void
  ) throws(RunFailure) {
    guard let iterator = rocksdb_create_iterator(database, readOptions) else { return }
    defer { rocksdb_iter_destroy(iterator) }
    rocksdb_iter_seek_to_first(iterator)
    while rocksdb_iter_valid(iterator) != 0 {
      var keyLength = 0
      var valueLength = 0
      let key = rocksdb_iter_key(iterator, &keyLength)
      if let limit, !UnsafeRawBufferPointer(start: key, count: keyLength).lexicographicallyPrecedes(limit) { break }
      let value = rocksdb_iter_value(iterator, &valueLength)
      try body(
        Array(UnsafeRawBufferPointer(start: key, count: keyLength)),
        Array(UnsafeRawBufferPointer(start: value, count: valueLength)))
      rocksdb_iter_next(iterator)
    }
    var error: UnsafeMutablePointer<CChar>?
    rocksdb_iter_get_error(iterator, &error)
    if let message = Self.take(error) { throw RunFailure("reading the state in \(live.path): \(message)") }
  }

  public func checkpoint(into directory: URL) throws(RunFailure) {
    try StateFiles.createDirectory(directory)
    var error: UnsafeMutablePointer<CChar>?
    let checkpoint = rocksdb_checkpoint_object_create(database, &error)
    if let message = Self.take(error) { throw RunFailure("checkpointing the state in \(live.path): \(message)") }
    defer { rocksdb_checkpoint_object_destroy(checkpoint) }
    // 0: always flush the write buffer, whose writes skipped RocksDB's log.
    let target = directory.appendingPathComponent(Self.directoryName).path
    rocksdb_checkpoint_create(checkpoint, target, 0, &error)
    if let message = Self.take(error) { throw RunFailure("checkpointing the state into \(target): \(message)") }
    CheckpointStore.syncDirectory(directory.path)
  }

  /// A checkpoint's database copied to `live`: its table files, which RocksDB never
  /// changes, linked; the others (manifest, options, current) copied.
  static func copy(_ checkpoint: URL, to live: URL) throws(RunFailure) {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: checkpoint.path)
      try FileManager.default.createDirectory(at: live, withIntermediateDirectories: true)
    } catch {
      throw RunFailure("the checkpointed state \(checkpoint.path) does not read: \(error.localizedDescription)")
    }
    for name in names {
      let source = checkpoint.appendingPathComponent(name)
      let target = live.appendingPathComponent(name)
      if name.hasSuffix(".sst"), link(source.path, target.path) == 0 { continue }
      do {
        try FileManager.default.copyItem(at: source, to: target)
      } catch {
        throw RunFailure("copying the checkpointed state \(source.path): \(error.localizedDescription)")
      }
    }
  }

  /// RocksDB's error message, freed; nil when there was none.
  private static func take(_ error: UnsafeMutablePointer<CChar>?) -> String? {
    guard let error else { return nil }
    defer { rocksdb_free(error) }
    return String(cString: error)
  }
}
