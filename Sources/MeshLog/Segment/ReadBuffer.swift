/// The memory a scanner reads a segment through: a window of the file, refilled with
/// `read` as the scanner moves (64 KiB by default, grown for a larger batch).
///
/// Reads, not a memory mapping: a mapped segment that someone truncates kills the
/// reading process with SIGBUS, while a short read is damage that the scanner reports.
/// Bytes it returns stay valid until the next call or `invalidate`. Not thread-safe;
/// each scanner owns one.
final class ReadBuffer {
  private var base: UnsafeMutableRawPointer
  private var capacity: Int
  private let defaultCapacity: Int
  /// File position of `base[0]` and how many bytes from there are loaded.
  private var start: Int64 = 0
  private var count = 0

  init(capacity: Int = 64 * 1024) {
    defaultCapacity = max(capacity, BatchFormat.headerSize)
    self.capacity = defaultCapacity
    base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
  }

  deinit { base.deallocate() }

  /// Forgets the loaded window (the file changed under it, or another file comes next).
  func invalidate() { count = 0 }

  /// `count` bytes at `position` (fewer only when the file is shorter than it claimed).
  /// Reads no byte at or past `limit`.
  func bytes(
    at position: Int64, count wanted: Int, limit: Int64, io: any FileIO, handle: IOHandle
  ) throws(FileIOError) -> UnsafeRawBufferPointer {
    if position >= start, position + Int64(wanted) <= start + Int64(count) {
      return UnsafeRawBufferPointer(start: base + Int(position - start), count: wanted)
    }
    // Bytes already loaded from `position` on (the start of a batch that did not fit)
    // move to the front instead of being read again.
    var kept = 0
    if position >= start, position < start + Int64(count) { kept = count - Int(position - start) }
    // Grow for a larger batch; give the memory back once a huge batch has passed.
    var newCapacity = capacity
    if wanted > capacity {
      newCapacity = max(wanted, defaultCapacity)
    } else if capacity > defaultCapacity * 16, wanted <= defaultCapacity, kept <= defaultCapacity {
      newCapacity = defaultCapacity
    }
    let target =
      newCapacity == capacity ? base : UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
    if kept > 0 { target.copyMemory(from: base + (count - kept), byteCount: kept) }
    if target != base {
      base.deallocate()
      base = target
      capacity = newCapacity
    }
    let toRead = Int(min(Int64(capacity), max(limit - position, Int64(wanted))))
    start = position
    count = kept
    if toRead > kept {
      count += try io.readFully(
        handle, into: UnsafeMutableRawBufferPointer(start: base + kept, count: toRead - kept),
        at: position + Int64(kept))
    }
    return UnsafeRawBufferPointer(start: base, count: min(wanted, count))
  }
}
