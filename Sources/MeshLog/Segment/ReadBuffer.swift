/// The memory a scanner reads a segment through: a window of the file, moved as the
/// scanner moves. Below the caller's `mappable` bound the window is a read-only memory
/// mapping (no copy: batches are checksummed and decoded straight from the page cache);
/// elsewhere, or where the file system does not map, it is a buffer filled with `read`.
///
/// Bytes it returns stay valid until the next call or `invalidate`. Memory stays flat
/// however large the segment: one mapped window (`mappedWindow` bytes, or one batch if
/// larger) and one copy buffer at most. Not thread-safe; each scanner owns one.
final class ReadBuffer {
  private var base: UnsafeMutableRawPointer
  private var capacity: Int
  private let defaultCapacity: Int
  /// File position of `base[0]` and how many bytes from there are loaded.
  private var start: Int64 = 0
  private var count = 0
  /// The mapped window, the file position it starts at, and who unmaps it.
  private var mapping: UnsafeRawBufferPointer?
  private var mappingStart: Int64 = 0
  private var mappingIO: (any FileIO)?

  /// Bytes a mapped window covers: large enough that mapping costs nothing per batch,
  /// small enough that the resident pages of a window stay a few MiB.
  static let mappedWindow = 8 << 20

  init(capacity: Int = 64 * 1024) {
    defaultCapacity = max(capacity, BatchFormat.headerSize)
    self.capacity = defaultCapacity
    base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
  }

  deinit {
    base.deallocate()
    unmapWindow()
  }

  /// Forgets the loaded window (the file changed under it, or another file comes next).
  func invalidate() {
    count = 0
    unmapWindow()
  }

  /// `count` bytes at `position` (fewer only when the file is shorter than it claimed).
  /// Reads no byte at or past `limit`; maps only bytes below `mappable`.
  func bytes(
    at position: Int64, count wanted: Int, limit: Int64, mappable: Int64, io: any FileIO, handle: IOHandle
  ) throws(FileIOError) -> UnsafeRawBufferPointer {
    if position + Int64(wanted) <= mappable,
      let mapped = mappedBytes(at: position, count: wanted, io: io, handle: handle)
    {
      return mapped
    }
    if position >= start, position + Int64(wanted) <= start + Int64(count) {
      return UnsafeRawBufferPointer(start: base + Int(position - start), count: wanted)
    }
    if wanted > capacity {
      base.deallocate()
      capacity = max(wanted, defaultCapacity)
      base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    } else if capacity > defaultCapacity * 16, wanted <= defaultCapacity {
      // A huge batch passed; give its memory back.
      base.deallocate()
      capacity = defaultCapacity
      base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }
    let toRead = Int(min(Int64(capacity), max(limit - position, Int64(wanted))))
    start = position
    count = try io.readFully(handle, into: UnsafeMutableRawBufferPointer(start: base, count: toRead), at: position)
    return UnsafeRawBufferPointer(start: base, count: min(wanted, count))
  }

  /// The bytes from the mapped window, moving it when they lie outside; nil when the
  /// file system does not map.
  private func mappedBytes(
    at position: Int64, count wanted: Int, io: any FileIO, handle: IOHandle
  )
    -> UnsafeRawBufferPointer?
  {
    if let mapping, position >= mappingStart, position + Int64(wanted) <= mappingStart + Int64(mapping.count),
      let mappedBase = mapping.baseAddress
    {
      return UnsafeRawBufferPointer(start: mappedBase + Int(position - mappingStart), count: wanted)
    }
    unmapWindow()
    let windowStart = position - position % mappingAlignment
    let length = max(ReadBuffer.mappedWindow, Int(position - windowStart) + wanted)
    guard let fresh = io.map(handle, offset: windowStart, length: length), let freshBase = fresh.baseAddress else {
      return nil
    }
    mapping = fresh
    mappingStart = windowStart
    mappingIO = io
    return UnsafeRawBufferPointer(start: freshBase + Int(position - windowStart), count: wanted)
  }

  private func unmapWindow() {
    if let mapping, let mappingIO { mappingIO.unmap(mapping) }
    mapping = nil
    mappingIO = nil
  }
}
