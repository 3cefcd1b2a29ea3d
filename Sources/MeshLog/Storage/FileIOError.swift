#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failed file-system call: which operation, on which path, and the `errno` it gave
/// (its cause), shown by name and text: `cannot write '…/00000000000000000000.log': no
/// space left on device (ENOSPC)`.
public struct FileIOError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Operation: String, Sendable {
    case open, close, read, write, sync, size, truncate, rename, remove
    case createDirectory = "create directory"
    case listDirectory = "list directory"
    case syncDirectory = "sync directory"
    case lock
  }

  public var operation: Operation
  public var path: String
  public var errno: Int32

  public init(_ operation: Operation, path: String, errno: Int32) {
    self.operation = operation
    self.path = path
    self.errno = errno
  }

  /// The cause, with its symbolic name and text.
  public var cause: SystemErrno { SystemErrno(errno) }

  /// The path (or its parent) does not exist: `ENOENT`.
  package var isNotFound: Bool { errno == ENOENT }

  public var description: String {
    "cannot \(operation.rawValue) '\(path)': \(cause)"
  }
}
