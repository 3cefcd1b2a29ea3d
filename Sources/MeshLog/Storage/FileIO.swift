#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open file of a `FileIO`. The raw value is a POSIX descriptor for `POSIXFileIO` and
/// an arbitrary handle number for simulated file systems.
public struct IOHandle: Hashable, Sendable {
  public let rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// How `FileIO.open` opens a file.
public enum FileOpenMode: Sendable {
  /// Reading only; the file must exist.
  case readOnly
  /// Reading and writing; the file must exist.
  case readWrite
  /// Reading and writing; the file is created empty when missing.
  case create
  /// Reading and writing; fails with `EEXIST` when the file exists.
  case createNew
}

/// What is at a path.
public enum FileKind: Sendable {
  case file
  case directory
  case other
}

/// Every file-system operation the log performs, so that tests can run the log on a
/// simulated file system that loses, tears or garbles unsynced writes and injects I/O
/// errors (as SQLite's crash VFS and TigerBeetle's simulated storage do).
///
/// Contract, which `POSIXFileIO` gives and simulations must model:
/// - `write` and `read` are positional (`pwrite`/`pread`) and do not move any cursor.
/// - After `sync(handle)` returns, the file's bytes and size survive a crash. Before it,
///   any unsynced write may be lost, torn (a prefix survives) or garbled.
/// - `rename` replaces its target atomically; `syncDirectory` makes the creations,
///   renames and removals inside a directory durable.
/// - Errors are `FileIOError`s naming the operation and the path.
///
/// Implementations are thread-safe: the log reads from many threads while one writer
/// appends.
public protocol FileIO: Sendable {
  func open(_ path: String, _ mode: FileOpenMode) throws(FileIOError) -> IOHandle
  func close(_ handle: IOHandle)
  /// Reads up to `buffer.count` bytes at `offset`; returns fewer only at the end of the file.
  func read(
    _ handle: IOHandle, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
  ) throws(FileIOError)
    -> Int
  /// Writes all of `bytes` at `offset` or throws.
  func write(_ handle: IOHandle, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileIOError)
  /// Makes the file's data and size durable.
  func sync(_ handle: IOHandle) throws(FileIOError)
  func size(_ handle: IOHandle) throws(FileIOError) -> Int64
  func truncate(_ handle: IOHandle, to size: Int64) throws(FileIOError)
  func rename(_ source: String, to destination: String) throws(FileIOError)
  /// Removes a file or an empty directory.
  func remove(_ path: String) throws(FileIOError)
  /// Creates a directory; succeeds when it already exists.
  func createDirectory(_ path: String) throws(FileIOError)
  /// The names in a directory, without `.` and `..`, in no particular order.
  func contents(ofDirectory path: String) throws(FileIOError) -> [String]
  func syncDirectory(_ path: String) throws(FileIOError)
  /// What is at `path`, or nil when nothing is.
  func kind(of path: String) -> FileKind?
  /// Takes an exclusive advisory lock on `path` (created when missing) without waiting.
  /// Returns nil when another holder has it. `unlock` releases it.
  func lock(_ path: String) throws(FileIOError) -> IOHandle?
  func unlock(_ handle: IOHandle)
  /// Whether another holder has the lock on `path` now (a missing file: no). Never
  /// creates the file; holds the lock for an instant at most.
  func isLocked(_ path: String) -> Bool
}

extension FileIO {
  /// Reads exactly `buffer.count` bytes or returns how many there were before the end.
  public func readFully(
    _ handle: IOHandle, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
  )
    throws(FileIOError) -> Int
  {
    var done = 0
    while done < buffer.count {
      let count = try read(
        handle, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
      if count == 0 { break }
      done += count
    }
    return done
  }

  /// Writes a byte array at `offset` (`Array.withUnsafeBytes` only rethrows untyped errors).
  public func write(_ handle: IOHandle, _ bytes: [UInt8], at offset: Int64) throws(FileIOError) {
    var failure: FileIOError?
    bytes.withUnsafeBytes { raw in
      do throws(FileIOError) { try write(handle, raw, at: offset) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  /// Fills `bytes` from `offset`; returns how many bytes the file had.
  public func readFully(_ handle: IOHandle, into bytes: inout [UInt8], at offset: Int64) throws(FileIOError) -> Int {
    var failure: FileIOError?
    let count = bytes.withUnsafeMutableBytes { raw -> Int in
      do throws(FileIOError) { return try readFully(handle, into: raw, at: offset) } catch {
        failure = error
        return 0
      }
    }
    if let failure { throw failure }
    return count
  }

  /// The whole content of a small file (configuration, offsets), or nil when missing.
  public func readSmallFile(_ path: String, limit: Int = 1 << 20) throws(FileIOError) -> [UInt8]? {
    guard kind(of: path) == .file else { return nil }
    let handle = try open(path, .readOnly)
    defer { close(handle) }
    let size = try self.size(handle)
    guard size <= limit else { throw FileIOError(.read, path: path, errno: EFBIG) }
    var bytes = [UInt8](repeating: 0, count: Int(size))
    let count = try readFully(handle, into: &bytes, at: 0)
    return Array(bytes.prefix(count))
  }

  /// Replaces `path` atomically and durably: write a temporary file beside it, sync it,
  /// rename it over `path`, sync the directory. A crash leaves the old or the new
  /// content, never a mix (the temporary file is removed at the next open).
  public func writeAtomically(
    _ bytes: [UInt8], to path: String, temporarySuffix: String = ".tmp"
  )
    throws(FileIOError)
  {
    let temporary = path + temporarySuffix
    if kind(of: temporary) != nil { try remove(temporary) }
    let handle = try open(temporary, .createNew)
    do {
      try write(handle, bytes, at: 0)
      try sync(handle)
    } catch {
      close(handle)
      try? remove(temporary)
      throw error
    }
    close(handle)
    try rename(temporary, to: path)
    try syncDirectory(LogPath.parent(of: path))
  }

  /// Removes a directory and everything under it.
  public func removeTree(_ path: String) throws(FileIOError) {
    if kind(of: path) == .directory {
      for name in try contents(ofDirectory: path) {
        try removeTree(LogPath.join(path, name))
      }
    }
    if kind(of: path) != nil { try remove(path) }
  }
}
