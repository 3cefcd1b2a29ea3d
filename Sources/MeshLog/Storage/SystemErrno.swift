#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An `errno` value as people should read it: its symbolic name (`ENOSPC`), which is the
/// same on every platform where the number is not, and its text ("no space left on
/// device"), as swift-nio's `FileSystemError` names the errno of its cause.
public struct SystemErrno: Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int32

  public init(_ rawValue: Int32) { self.rawValue = rawValue }

  /// `ENOSPC`, or `errno N` for a value the table below does not hold.
  public var name: String { Self.known[rawValue]?.name ?? "errno \(rawValue)" }

  /// Lowercase, as meshc's messages are: "no space left on device".
  public var message: String {
    if let known = Self.known[rawValue] { return known.message }
    guard let text = strerror(rawValue).map({ String(cString: $0) }), !text.isEmpty else { return "unknown error" }
    return text.prefix(1).lowercased() + text.dropFirst()
  }

  /// "no space left on device (ENOSPC)".
  public var description: String { "\(message) (\(name))" }

  /// The values a file system call may give, by the platform's own numbers.
  private static let known: [Int32: (name: String, message: String)] = {
    let table: [(Int32, String, String)] = [
      (EPERM, "EPERM", "operation not permitted"),
      (ENOENT, "ENOENT", "no such file or directory"),
      (EINTR, "EINTR", "interrupted system call"),
      (EIO, "EIO", "input/output error"),
      (ENXIO, "ENXIO", "no such device or address"),
      (EBADF, "EBADF", "bad file descriptor"),
      (EAGAIN, "EAGAIN", "resource temporarily unavailable"),
      (ENOMEM, "ENOMEM", "cannot allocate memory"),
      (EACCES, "EACCES", "permission denied"),
      (EBUSY, "EBUSY", "device or resource busy"),
      (EEXIST, "EEXIST", "file exists"),
      (EXDEV, "EXDEV", "invalid cross-device link"),
      (ENODEV, "ENODEV", "no such device"),
      (ENOTDIR, "ENOTDIR", "not a directory"),
      (EISDIR, "EISDIR", "is a directory"),
      (EINVAL, "EINVAL", "invalid argument"),
      (ENFILE, "ENFILE", "too many open files in system"),
      (EMFILE, "EMFILE", "too many open files"),
      (ETXTBSY, "ETXTBSY", "text file busy"),
      (EFBIG, "EFBIG", "file too large"),
      (ENOSPC, "ENOSPC", "no space left on device"),
      (ESPIPE, "ESPIPE", "illegal seek"),
      (EROFS, "EROFS", "read-only file system"),
      (EMLINK, "EMLINK", "too many links"),
      (EPIPE, "EPIPE", "broken pipe"),
      (ENAMETOOLONG, "ENAMETOOLONG", "file name too long"),
      (ENOLCK, "ENOLCK", "no locks available"),
      (ENOSYS, "ENOSYS", "function not implemented"),
      (ENOTEMPTY, "ENOTEMPTY", "directory not empty"),
      (ELOOP, "ELOOP", "too many levels of symbolic links"),
      (EOVERFLOW, "EOVERFLOW", "value too large for defined data type"),
      (EOPNOTSUPP, "EOPNOTSUPP", "operation not supported"),
      (EDQUOT, "EDQUOT", "disk quota exceeded"),
      (ESTALE, "ESTALE", "stale file handle"),
    ]
    var known: [Int32: (name: String, message: String)] = [:]
    // Aliases (EWOULDBLOCK is EAGAIN, ENOTSUP may be EOPNOTSUPP) keep the first name.
    for (value, name, message) in table where known[value] == nil { known[value] = (name, message) }
    return known
  }()
}
