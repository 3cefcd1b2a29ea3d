/// A growable, manually managed byte buffer that batches are encoded into before one
/// `write` call puts them in the segment file. Owned by one writer (not thread-safe).
/// It keeps its capacity between batches so the append path does not allocate; a buffer
/// that grew for an unusually large batch shrinks back to `retainedCapacity`.
final class WriteBuffer {
  private(set) var base: UnsafeMutableRawPointer
  private(set) var capacity: Int
  let retainedCapacity: Int

  init(capacity: Int = 64 * 1024, retainedCapacity: Int = 1 << 20) {
    self.capacity = max(capacity, 64)
    self.retainedCapacity = max(retainedCapacity, self.capacity)
    base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
  }

  deinit { base.deallocate() }

  /// Makes room for `count` bytes, keeping the first `keeping` bytes.
  @inline(__always)
  func reserve(_ count: Int, keeping: Int) {
    if count > capacity { grow(to: count, keeping: keeping) }
  }

  private func grow(to count: Int, keeping: Int) {
    var newCapacity = capacity
    while newCapacity < count { newCapacity *= 2 }
    let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
    newBase.copyMemory(from: base, byteCount: keeping)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Returns memory a large batch needed once.
  func shrinkIfLarge() {
    guard capacity > retainedCapacity else { return }
    base.deallocate()
    capacity = retainedCapacity
    base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  }

  func bytes(_ count: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
