public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A product's checkpoints in its state directory. A checkpoint commits by one atomic
/// step: its JSON is written to a temporary file and synced, renamed to
/// `checkpoint-<id>.json`, and the directory synced; the previous checkpoint is kept, older
/// ones removed. The latest readable checkpoint wins, so a crash at any point leaves
/// either the new one or the one before. Not thread-safe: one run owns a product.
public struct CheckpointStore: Sendable {
  public let directory: URL

  public init(directory: URL) { self.directory = directory }

  static let prefix = "checkpoint-"

  /// The latest checkpoint that reads; nil before the first commit.
  public func latest() throws(RunFailure) -> ProductCheckpoint? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    let ids = names.compactMap { name -> Int64? in
      guard name.hasPrefix(Self.prefix), name.hasSuffix(".json") else { return nil }
      return Int64(name.dropFirst(Self.prefix.count).dropLast(5))
    }
    for id in ids.sorted(by: >) {
      guard let data = FileManager.default.contents(atPath: path(id).path) else { continue }
      if let checkpoint = try? JSONDecoder().decode(ProductCheckpoint.self, from: data), checkpoint.id == id {
        return checkpoint
      }
    }
    guard ids.isEmpty else {
      throw RunFailure("no checkpoint in \(directory.path) reads: the product's state is damaged")
    }
    return nil
  }

  func path(_ id: Int64) -> URL { directory.appendingPathComponent("\(Self.prefix)\(id).json") }

  public func commit(_ checkpoint: ProductCheckpoint) throws(RunFailure) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bytes: Data
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      bytes = try encoder.encode(checkpoint)
    } catch {
      throw RunFailure("writing checkpoint \(checkpoint.id): \(error)")
    }
    let temporary = directory.appendingPathComponent(".checkpoint-\(checkpoint.id).tmp")
    try Self.writeSynced(Array(bytes), to: temporary.path)
    guard rename(temporary.path, path(checkpoint.id).path) == 0 else {
      throw RunFailure("committing checkpoint \(checkpoint.id): \(String(cString: strerror(errno)))")
    }
    Self.syncDirectory(directory.path)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    for name in names where name.hasPrefix(Self.prefix) {
      if let id = Int64(name.dropFirst(Self.prefix.count).dropLast(5)), id < checkpoint.id - 1 {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
      }
    }
  }

  static func writeSynced(_ bytes: [UInt8], to path: String) throws(RunFailure) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw RunFailure("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    var written = 0
    while written < bytes.count {
      let result = bytes.withUnsafeBytes { raw in
        write(descriptor, raw.baseAddress.map { $0 + written }, bytes.count - written)
      }
      if result < 0, errno == EINTR { continue }
      guard result > 0 else { throw RunFailure("writing \(path): \(String(cString: strerror(errno)))") }
      written += result
    }
    guard fsync(descriptor) == 0 else { throw RunFailure("syncing \(path): \(String(cString: strerror(errno)))") }
  }

  static func syncDirectory(_ path: String) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
  }
}
