#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `FileIO` over the POSIX calls: `pread`/`pwrite`, `fdatasync` (`fsync` where it is
/// missing), `rename`, `flock`. Stateless, so trivially thread-safe; every call retries
/// on `EINTR`.
public struct POSIXFileIO: FileIO {
  public init() {}

  public func open(_ path: String, _ mode: FileOpenMode) throws(FileIOError) -> IOHandle {
    var flags: Int32 = O_CLOEXEC
    switch mode {
    case .readOnly: flags |= O_RDONLY
    case .readWrite: flags |= O_RDWR
    case .create: flags |= O_RDWR | O_CREAT
    case .createNew: flags |= O_RDWR | O_CREAT | O_EXCL
    }
    while true {
      let descriptor = systemOpen(path, flags, 0o644)
      if descriptor >= 0 { return IOHandle(rawValue: descriptor) }
      if errno != EINTR { throw FileIOError(.open, path: path, errno: errno) }
    }
  }

  public func close(_ handle: IOHandle) {
    systemClose(handle.rawValue)
  }

  public func read(
    _ handle: IOHandle, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
  )
    throws(FileIOError) -> Int
  {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let count = pread(handle.rawValue, base, buffer.count, off_t(offset))
      if count >= 0 { return count }
      if errno != EINTR { throw FileIOError(.read, path: describe(handle), errno: errno) }
    }
  }

  public func write(_ handle: IOHandle, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileIOError) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let count = pwrite(handle.rawValue, base + done, bytes.count - done, off_t(offset + Int64(done)))
      if count > 0 {
        done += count
      } else if count == 0 {
        throw FileIOError(.write, path: describe(handle), errno: ENOSPC)
      } else if errno != EINTR {
        throw FileIOError(.write, path: describe(handle), errno: errno)
      }
    }
  }

  public func sync(_ handle: IOHandle) throws(FileIOError) {
    while true {
      #if canImport(Glibc)
        let result = fdatasync(handle.rawValue)
      #else
        let result = fsync(handle.rawValue)
      #endif
      if result == 0 { return }
      if errno != EINTR { throw FileIOError(.sync, path: describe(handle), errno: errno) }
    }
  }

  public func size(_ handle: IOHandle) throws(FileIOError) -> Int64 {
    var info = stat()
    guard fstat(handle.rawValue, &info) == 0 else { throw FileIOError(.size, path: describe(handle), errno: errno) }
    return Int64(info.st_size)
  }

  public func truncate(_ handle: IOHandle, to size: Int64) throws(FileIOError) {
    while true {
      if ftruncate(handle.rawValue, off_t(size)) == 0 { return }
      if errno != EINTR { throw FileIOError(.truncate, path: describe(handle), errno: errno) }
    }
  }

  public func rename(_ source: String, to destination: String) throws(FileIOError) {
    guard systemRename(source, destination) == 0 else { throw FileIOError(.rename, path: source, errno: errno) }
  }

  public func remove(_ path: String) throws(FileIOError) {
    if unlink(path) == 0 { return }
    let first = errno
    if first == EISDIR || first == EPERM, rmdir(path) == 0 { return }
    throw FileIOError(.remove, path: path, errno: first == EISDIR || first == EPERM ? errno : first)
  }

  public func createDirectory(_ path: String) throws(FileIOError) {
    if mkdir(path, 0o755) == 0 { return }
    let code = errno
    if code == EEXIST, kind(of: path) == .directory { return }
    throw FileIOError(.createDirectory, path: path, errno: code)
  }

  public func contents(ofDirectory path: String) throws(FileIOError) -> [String] {
    guard let directory = opendir(path) else { throw FileIOError(.listDirectory, path: path, errno: errno) }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  public func syncDirectory(_ path: String) throws(FileIOError) {
    let descriptor = systemOpen(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
    guard descriptor >= 0 else { throw FileIOError(.syncDirectory, path: path, errno: errno) }
    defer { systemClose(descriptor) }
    while fsync(descriptor) != 0 {
      if errno != EINTR { throw FileIOError(.syncDirectory, path: path, errno: errno) }
    }
  }

  public func kind(of path: String) -> FileKind? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  public func lock(_ path: String) throws(FileIOError) -> IOHandle? {
    let handle = try open(path, .create)
    if flock(handle.rawValue, LOCK_EX | LOCK_NB) == 0 { return handle }
    let code = errno
    close(handle)
    if code == EWOULDBLOCK { return nil }
    throw FileIOError(.lock, path: path, errno: code)
  }

  public func unlock(_ handle: IOHandle) {
    _ = flock(handle.rawValue, LOCK_UN)
    close(handle)
  }

  public func isLocked(_ path: String) -> Bool {
    guard let handle = try? open(path, .readOnly) else { return false }
    defer { close(handle) }
    if flock(handle.rawValue, LOCK_SH | LOCK_NB) == 0 {
      _ = flock(handle.rawValue, LOCK_UN)
      return false
    }
    return errno == EWOULDBLOCK
  }

  /// A name for a descriptor in error messages: its path from `/proc`, or its number.
  private func describe(_ handle: IOHandle) -> String {
    #if os(Linux)
      var buffer = [CChar](repeating: 0, count: 4096)
      let count = readlink("/proc/self/fd/\(handle.rawValue)", &buffer, buffer.count - 1)
      if count > 0 {
        return buffer.prefix(count).withUnsafeBufferPointer { pointer in
          String(decoding: UnsafeRawBufferPointer(pointer), as: UTF8.self)
        }
      }
    #endif
    return "file descriptor \(handle.rawValue)"
  }
}

// The methods above shadow the C functions of the same names; these reach the C ones.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemClose(_ descriptor: Int32) { _ = close(descriptor) }
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
