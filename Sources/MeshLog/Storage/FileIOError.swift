/// A failed file-system call: which operation, on which path, and the `errno` it gave.
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

  public var description: String {
    "cannot \(operation.rawValue) '\(path)': \(FileIOError.describe(errno))"
  }

  /// A short text for the errno values the log meets; others print their number.
  static func describe(_ errno: Int32) -> String {
    switch errno {
    case 1: "operation not permitted"
    case 2: "no such file or directory"
    case 5: "input/output error"
    case 9: "bad file descriptor"
    case 13: "permission denied"
    case 17: "file exists"
    case 20: "not a directory"
    case 21: "is a directory"
    case 22: "invalid argument"
    case 24: "too many open files"
    case 27: "file too large"
    case 28: "no space left on device"
    case 30: "read-only file system"
    case 36: "file name too long"
    case 39: "directory not empty"
    default: "errno \(errno)"
    }
  }
}
