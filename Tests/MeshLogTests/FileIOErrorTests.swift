import Foundation
import MeshLog
import MeshTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// I/O errors name their errno symbolically, with its text, whatever the platform's numbers.
struct FileIOErrorTests {
  @Test func aMessageNamesTheErrno() {
    let error = FileIOError(.write, path: "/data/orders/0/00000000000000000000.log", errno: ENOSPC)
    #expect(
      error.description
        == "cannot write '/data/orders/0/00000000000000000000.log': no space left on device (ENOSPC)")
    #expect(LogError.io(error).description == error.description)
  }

  @Test(arguments: [
    (EACCES, "EACCES", "permission denied"), (ENOENT, "ENOENT", "no such file or directory"),
    (EROFS, "EROFS", "read-only file system"), (EIO, "EIO", "input/output error"),
    (EWOULDBLOCK, "EAGAIN", "resource temporarily unavailable"), (ENOTEMPTY, "ENOTEMPTY", "directory not empty"),
  ])
  func knownValuesHaveTheirNames(value: Int32, name: String, message: String) {
    #expect(SystemErrno(value).name == name)
    #expect(SystemErrno(value).message == message)
    #expect(SystemErrno(value).description == "\(message) (\(name))")
  }

  @Test func anUnknownValueKeepsItsNumber() {
    let unknown = SystemErrno(9999)
    #expect(unknown.name == "errno 9999")
    #expect(!unknown.message.isEmpty)
    #expect(unknown.message.first?.isUppercase == false)
  }

  @Test func realCallsReportTheirCause() throws {
    let directory = try Fixtures.makeTemporaryDirectory("file-io-error")
    defer { try? FileManager.default.removeItem(at: directory) }
    let io = POSIXFileIO()
    let missing = directory.appendingPathComponent("missing/00000000000000000000.log").path
    #expect(throws: FileIOError(.open, path: missing, errno: ENOENT)) { try io.open(missing, .readOnly) }
    do {
      _ = try io.open(missing, .readOnly)
    } catch {
      #expect(error.isNotFound)
      #expect(error.description == "cannot open '\(missing)': no such file or directory (ENOENT)")
    }
    let file = directory.appendingPathComponent("plain").path
    try Data().write(to: URL(fileURLWithPath: file))
    #expect(throws: FileIOError(.createDirectory, path: file + "/x", errno: ENOTDIR)) {
      try io.createDirectory(file + "/x")
    }
  }
}
