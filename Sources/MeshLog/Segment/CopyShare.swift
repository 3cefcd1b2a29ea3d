/// How much of each batch the read-ahead helper copies out of the page cache; the reader
/// copies the rest itself when it takes the window. Copying is the larger part of a
/// read, and a reader that only checksums whole batches spends most of its time waiting
/// for the helper's copy, while one that decodes every record keeps the helper waiting
/// about as often as it waits. The share settles where neither waits much: it moves a
/// 64th of a read towards the reader each time the reader has to wait for a window, and
/// back each time the helper finds every window full.
///
/// On the project's machine a reader of whole batches settles near 45–51 64ths and reads
/// at 0.90–0.93 of the plain-read baseline instead of 0.72–0.77; a reader of every record
/// stays at 62–64 (docs/log.md, "Readers").
struct CopyShare: Equatable {
  static let whole = 64
  /// A floor, so that waits with a passing cause (another process on the helper's CPU)
  /// cannot leave the reader copying nearly everything for long: from here back to a
  /// whole share takes 48 batches that find the helper waiting.
  static let smallest = 16
  /// The helper's part, in 64ths of a read.
  private(set) var sixtyFourths: Int

  init(sixtyFourths: Int = CopyShare.whole) {
    self.sixtyFourths = min(max(sixtyFourths, Self.smallest), Self.whole)
  }

  mutating func readerWaited() { sixtyFourths = max(Self.smallest, sixtyFourths - 1) }

  mutating func helperWaited() { sixtyFourths = min(Self.whole, sixtyFourths + 1) }

  /// The helper's part of a read of `length` bytes: whole cache lines, and never less
  /// than a batch header, whose length field tells the helper where the next read starts.
  func helperBytes(of length: Int) -> Int {
    guard sixtyFourths < Self.whole else { return length }
    let part = (length / 64 * sixtyFourths) & ~63
    return min(length, max(part, BatchFormat.headerSize))
  }
}
