import MeshLog

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A child process with its standard output on a pipe, for the crash tests: spawn it,
/// read its lines with a timeout, kill it with SIGKILL at a moment of our choosing.
final class ChildProcess {
  let pid: pid_t
  private let output: Int32
  private var pending: [UInt8] = []
  private(set) var finished = false

  struct SpawnError: Error, CustomStringConvertible {
    let errno: Int32
    var description: String { "cannot start the child process: \(SystemErrno(errno))" }
  }

  init(executable: String, arguments: [String]) throws {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw SpawnError(errno: errno) }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var child = pid_t()
    let result = posix_spawn(&child, executable, &actions, nil, argv, environ)
    close(fds[1])
    guard result == 0 else {
      close(fds[0])
      throw SpawnError(errno: result)
    }
    pid = child
    output = fds[0]
  }

  deinit { close(output) }

  /// The next complete line, waiting up to `milliseconds`; nil on timeout or at the end.
  func readLine(milliseconds: Int32) -> String? {
    while true {
      if let newline = pending.firstIndex(of: 0x0A) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        return line
      }
      if finished { return nil }
      var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, milliseconds)
      if ready < 0, errno == EINTR { continue }
      if ready <= 0 { return nil }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      if count <= 0 {
        finished = true
        continue
      }
      pending += chunk[..<count]
    }
  }

  func kill(_ signal: Int32 = SIGKILL) { _ = sendSignal(pid, signal) }

  /// Waits for the child to exit; returns the raw wait status.
  @discardableResult
  func wait() -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    return status
  }
}

/// `kill(2)`, which the method of the same name shadows.
private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 { kill(pid, signal) }
