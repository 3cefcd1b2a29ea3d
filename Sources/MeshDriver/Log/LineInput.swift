#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Lines of standard input (or of bytes, in tests), read in 64 KiB chunks. It also
/// says whether more input is already waiting, so that `produce` appends what it has
/// as soon as the writer upstream pauses (`tail -f | meshc produce` stays prompt).
public final class LineInput {
  private let descriptor: Int32?
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  private var finished = false
  /// The last read filled the whole buffer, so more input is probably waiting.
  public private(set) var moreIsWaiting = false
  /// The 1-based number of the line last returned.
  public private(set) var lineNumber = 0

  /// Reads from a file descriptor (standard input is 0).
  public init(descriptor: Int32, chunk: Int = 64 * 1024) {
    self.descriptor = descriptor
    buffer = [UInt8](repeating: 0, count: chunk)
  }

  /// Reads from bytes in memory.
  public init(bytes: [UInt8]) {
    descriptor = nil
    buffer = bytes
    end = bytes.count
    finished = true
  }

  /// The next line without its line break (`\n` or `\r\n`), or nil at the end.
  public func nextLine() -> [UInt8]? {
    while true {
      if let newline = buffer[start..<end].firstIndex(of: 0x0A) {
        var lineEnd = newline
        if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let line = Array(buffer[start..<lineEnd])
        start = newline + 1
        lineNumber += 1
        return line
      }
      if finished {
        guard start < end else { return nil }
        let line = Array(buffer[start..<end])
        start = end
        lineNumber += 1
        return line
      }
      fill()
    }
  }

  /// Whether every buffered complete line was returned and no more input is waiting.
  public var isCaughtUp: Bool { !moreIsWaiting && !buffer[start..<end].contains(0x0A) }

  private func fill() {
    guard let descriptor else {
      finished = true
      return
    }
    if start > 0 {
      buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
      end -= start
      start = 0
    }
    if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
    let capacity = buffer.count - end
    let count = buffer.withUnsafeMutableBytes { raw in
      read(descriptor, raw.baseAddress.map { $0 + end }, capacity)
    }
    if count < 0, errno == EINTR { return }
    if count <= 0 {
      finished = true
      moreIsWaiting = false
      return
    }
    end += count
    moreIsWaiting = count == capacity
  }
}
