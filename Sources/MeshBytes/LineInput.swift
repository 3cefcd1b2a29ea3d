#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Lines of a file descriptor (standard input for `meshc produce`, files for the line
/// formats) or of bytes in memory, split at `\n` (a `\r` before it is dropped).
///
/// Linear in the input whatever the reads look like: a line is scanned once, however
/// many reads it takes to arrive (a pipe delivers 64 KiB at a time), and the buffer is
/// compacted or doubled only when that moves at most as much as was read since. Memory
/// is bounded: a line longer than `maxLineBytes` is not kept; its bytes are skipped up
/// to the next line break and reported as `.tooLong` with its length.
///
/// It also says whether more input is already waiting, so that `produce` appends what it
/// has as soon as the writer upstream pauses (`tail -f | meshc produce` stays prompt).
/// Not thread-safe: one reader owns it.
public final class LineInput {
  public enum Line: Hashable, Sendable {
    case complete([UInt8])
    /// A line of `bytes` bytes (without its line break), more than `maxLineBytes`.
    case tooLong(bytes: Int)
  }

  public let maxLineBytes: Int
  private let descriptor: Int32?
  private let chunk: Int
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  /// `buffer[start..<scanned]` holds no line break.
  private var scanned = 0
  /// Bytes of the current line skipped so far, when it is too long; nil otherwise.
  private var skipped: Int?
  private var finished = false
  /// The last read filled the whole free space, so more input is probably waiting.
  public private(set) var moreIsWaiting = false
  /// The 1-based number of the line last returned.
  public private(set) var lineNumber = 0

  /// Reads from a file descriptor (standard input is 0).
  public init(descriptor: Int32, maxLineBytes: Int, chunk: Int = 64 * 1024) {
    self.descriptor = descriptor
    self.maxLineBytes = maxLineBytes
    self.chunk = max(1, chunk)
    buffer = [UInt8](repeating: 0, count: self.chunk)
  }

  /// Reads from bytes in memory.
  public init(bytes: [UInt8], maxLineBytes: Int = .max) {
    descriptor = nil
    self.maxLineBytes = maxLineBytes
    chunk = 1
    buffer = bytes
    end = bytes.count
    finished = true
  }

  /// The next line without its line break, or nil at the end of the input.
  public func nextLine() -> Line? {
    while true {
      if let newline = buffer[scanned..<end].firstIndex(of: 0x0A) {
        return take(upTo: newline, next: newline + 1)
      }
      scanned = end
      if end - start > maxLineBytes || skipped != nil {
        // Too long to keep: count it and let its bytes go.
        skipped = (skipped ?? 0) + (end - start)
        start = end
      }
      if finished {
        guard start < end || skipped != nil else { return nil }
        return take(upTo: end, next: end)
      }
      fill()
    }
  }

  /// Whether every buffered complete line was returned and no more input is waiting.
  public var isCaughtUp: Bool { !moreIsWaiting && !buffer[start..<end].contains(0x0A) }

  private func take(upTo lineBreak: Int, next: Int) -> Line {
    var lineEnd = lineBreak
    if lineEnd > start, buffer[lineEnd - 1] == 0x0D, lineBreak < end { lineEnd -= 1 }
    let line: Line
    if let skippedBytes = skipped {
      line = .tooLong(bytes: skippedBytes + (lineEnd - start))
    } else if lineEnd - start > maxLineBytes {
      line = .tooLong(bytes: lineEnd - start)
    } else {
      line = .complete(Array(buffer[start..<lineEnd]))
    }
    skipped = nil
    start = next
    scanned = next
    lineNumber += 1
    return line
  }

  private func fill() {
    guard let descriptor else {
      finished = true
      return
    }
    if buffer.count - end < chunk {
      let pending = end - start
      if start > 0, start >= buffer.count / 2, buffer.count - pending >= chunk {
        // Moving the partial line costs at most what the reads since the last move added.
        buffer.withUnsafeMutableBytes { raw in
          guard let base = raw.baseAddress else { return }
          memmove(base, base + start, pending)
        }
      } else {
        var grown = [UInt8](repeating: 0, count: max(buffer.count * 2, pending + chunk))
        grown.withUnsafeMutableBytes { target in
          buffer.withUnsafeBytes { source in
            guard let to = target.baseAddress, let from = source.baseAddress else { return }
            memcpy(to, from + start, pending)
          }
        }
        buffer = grown
      }
      scanned -= start
      start = 0
      end = pending
    }
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
