import Synchronization

/// A batch the index knows: its base offset and byte position in the segment file.
struct IndexPoint: Hashable, Sendable {
  var offset: Offset
  var position: Int64
}

/// The lookups readers make in a segment's sparse indexes. Both answer with a batch to
/// start scanning from, never past the target, so a reader scans at most one index
/// interval (4 KiB) plus one batch to land on its record: O(log n) seeks.
protocol SegmentIndex: Sendable {
  /// The last indexed batch whose base offset is ≤ `offset` (the segment start when none).
  func floor(offset: Offset, logBytes: Int64) -> IndexPoint
  /// A batch before which every record has a timestamp < `timestamp`, as late as the
  /// index knows: scanning from there finds the first record with timestamp ≥ `timestamp`.
  func floor(timestamp: Int64, logBytes: Int64) -> IndexPoint
}

/// Entries of a segment's index, kept in memory: the active segment's (the writer adds
/// entries as it appends) and indexes rebuilt by a read-only open. Thread-safe: the
/// writer appends under the lock, readers binary-search under it.
final class MemoryIndex: SegmentIndex {
  struct Entries {
    var relativeOffsets: [UInt32] = []
    var positions: [UInt32] = []
    /// `maxTimestampsBefore[i]`: the largest timestamp of records before entry i's offset.
    var maxTimestampsBefore: [Int64] = []
  }

  let baseOffset: Offset
  private let entries: Mutex<Entries>

  init(baseOffset: Offset, entries: Entries = Entries()) {
    self.baseOffset = baseOffset
    self.entries = Mutex(entries)
  }

  var count: Int { entries.withLock { $0.positions.count } }

  func append(offset: Offset, position: Int64, maxTimestampBefore: Int64) {
    entries.withLock {
      $0.relativeOffsets.append(UInt32(truncatingIfNeeded: offset - baseOffset))
      $0.positions.append(UInt32(truncatingIfNeeded: position))
      $0.maxTimestampsBefore.append(maxTimestampBefore)
    }
  }

  /// The last entry, if any.
  var last: IndexPoint? {
    entries.withLock { entries in
      guard let relative = entries.relativeOffsets.last, let position = entries.positions.last else { return nil }
      return IndexPoint(offset: baseOffset + Int64(relative), position: Int64(position))
    }
  }

  /// The largest timestamp of the records before the last entry (`Int64.min` when none).
  var maxTimestampBeforeLast: Int64 { entries.withLock { $0.maxTimestampsBefore.last ?? .min } }

  func floor(offset: Offset, logBytes: Int64) -> IndexPoint {
    let relative = offset - baseOffset
    guard relative > 0 else { return IndexPoint(offset: baseOffset, position: 0) }
    return entries.withLock { entries in
      // The last index with relativeOffsets[index] <= relative.
      var low = 0
      var high = entries.relativeOffsets.count
      while low < high {
        let mid = (low + high) / 2
        if Int64(entries.relativeOffsets[mid]) <= relative { low = mid + 1 } else { high = mid }
      }
      guard low > 0 else { return IndexPoint(offset: baseOffset, position: 0) }
      return IndexPoint(
        offset: baseOffset + Int64(entries.relativeOffsets[low - 1]), position: Int64(entries.positions[low - 1]))
    }
  }

  func floor(timestamp: Int64, logBytes: Int64) -> IndexPoint {
    entries.withLock { entries in
      // The last entry whose records before it are all older than `timestamp`.
      var low = 0
      var high = entries.maxTimestampsBefore.count
      while low < high {
        let mid = (low + high) / 2
        if entries.maxTimestampsBefore[mid] < timestamp { low = mid + 1 } else { high = mid }
      }
      guard low > 0 else { return IndexPoint(offset: baseOffset, position: 0) }
      return IndexPoint(
        offset: baseOffset + Int64(entries.relativeOffsets[low - 1]), position: Int64(entries.positions[low - 1]))
    }
  }

  /// The entries in file layout (see `IndexFile`), from entry `from` on.
  func encoded(_ kind: IndexFile.Kind, from: Int = 0) -> [UInt8] {
    entries.withLock { entries in
      let count = entries.positions.count
      guard from < count else { return [] }
      var bytes = [UInt8](repeating: 0, count: (count - from) * kind.entrySize)
      bytes.withUnsafeMutableBytes { raw in
        guard let base = raw.baseAddress else { return }
        var at = 0
        for index in from..<count {
          switch kind {
          case .offset:
            RawBytes.putUInt32(entries.relativeOffsets[index], base, at)
            RawBytes.putUInt32(entries.positions[index], base, at + 4)
          case .time:
            RawBytes.putInt64(entries.maxTimestampsBefore[index], base, at)
            RawBytes.putUInt32(entries.relativeOffsets[index], base, at + 8)
          }
          at += kind.entrySize
        }
      }
      return bytes
    }
  }

  /// Builds entries from raw offset and time index bytes, keeping the longest prefix that
  /// is plausible for a log of `logBytes`: offsets and positions strictly increasing,
  /// positions inside the log, timestamps not decreasing, both files agreeing.
  static func decode(
    baseOffset: Offset, offsetEntries: [UInt8], timeEntries: [UInt8], logBytes: Int64
  ) -> MemoryIndex {
    var entries = Entries()
    let count = min(offsetEntries.count / IndexFile.offsetEntrySize, timeEntries.count / IndexFile.timeEntrySize)
    offsetEntries.withUnsafeBytes { offsets in
      timeEntries.withUnsafeBytes { times in
        guard let offsetBase = offsets.baseAddress, let timeBase = times.baseAddress else { return }
        var previousRelative: Int64 = 0
        var previousPosition: Int64 = 0
        var previousTimestamp = Int64.min
        for index in 0..<count {
          let relative = RawBytes.uint32(offsetBase, index * IndexFile.offsetEntrySize)
          let position = RawBytes.uint32(offsetBase, index * IndexFile.offsetEntrySize + 4)
          let timestamp = RawBytes.int64(timeBase, index * IndexFile.timeEntrySize)
          let timeRelative = RawBytes.uint32(timeBase, index * IndexFile.timeEntrySize + 8)
          guard Int64(relative) > previousRelative, Int64(position) > previousPosition,
            Int64(position) < logBytes, timestamp >= previousTimestamp, timeRelative == relative
          else { break }
          entries.relativeOffsets.append(relative)
          entries.positions.append(position)
          entries.maxTimestampsBefore.append(timestamp)
          previousRelative = Int64(relative)
          previousPosition = Int64(position)
          previousTimestamp = timestamp
        }
      }
    }
    return MemoryIndex(baseOffset: baseOffset, entries: entries)
  }
}

/// The indexes of a sealed segment, searched on disk with positional reads so that
/// memory stays flat however many segments a partition has. Opens the files per lookup
/// (no descriptors held) and checks that the index still describes a log of `logBytes`
/// (compaction may have swapped the segment since); on any doubt it answers with the
/// segment start, which is always correct, only slower.
final class FileIndex: SegmentIndex {
  let baseOffset: Offset
  let offsetPath: String
  let timePath: String
  let io: any FileIO

  init(baseOffset: Offset, offsetPath: String, timePath: String, io: any FileIO) {
    self.baseOffset = baseOffset
    self.offsetPath = offsetPath
    self.timePath = timePath
    self.io = io
  }

  private var start: IndexPoint { IndexPoint(offset: baseOffset, position: 0) }

  func floor(offset: Offset, logBytes: Int64) -> IndexPoint {
    let relative = offset - baseOffset
    guard relative > 0 else { return start }
    return search(.offset, path: offsetPath, logBytes: logBytes) { entry in
      Int64(RawBytes.uint32(entry, 0)) <= relative
    } ?? start
  }

  func floor(timestamp: Int64, logBytes: Int64) -> IndexPoint {
    guard
      let point = search(
        .time, path: timePath, logBytes: logBytes, match: { entry in RawBytes.int64(entry, 0) < timestamp })
    else { return start }
    // The time entry names an offset that the offset index holds exactly.
    return floor(offset: point.offset, logBytes: logBytes)
  }

  /// Binary search for the last entry satisfying `match` (a prefix property).
  private func search(
    _ kind: IndexFile.Kind, path: String, logBytes: Int64, match: (UnsafeRawBufferPointer) -> Bool
  ) -> IndexPoint? {
    guard let handle = try? io.open(path, .readOnly) else { return nil }
    defer { io.close(handle) }
    var header = [UInt8](repeating: 0, count: IndexFile.headerSize)
    let headerCount = header.withUnsafeMutableBytes { (try? io.readFully(handle, into: $0, at: 0)) ?? 0 }
    guard headerCount == IndexFile.headerSize, header[5] & 1 == 1 else { return nil }
    let sealedBytes = header.withUnsafeBytes { RawBytes.int64($0, 8) }
    let count = Int(header.withUnsafeBytes { RawBytes.uint32($0, 32) })
    guard sealedBytes == logBytes else { return nil }
    var entry = [UInt8](repeating: 0, count: kind.entrySize)
    func read(_ index: Int) -> Bool {
      let position = Int64(IndexFile.headerSize + index * kind.entrySize)
      return entry.withUnsafeMutableBytes { (try? io.readFully(handle, into: $0, at: position)) ?? 0 } == kind.entrySize
    }
    var low = 0
    var high = count
    while low < high {
      let mid = (low + high) / 2
      guard read(mid) else { return nil }
      if entry.withUnsafeBytes({ match($0) }) { low = mid + 1 } else { high = mid }
    }
    guard low > 0, read(low - 1) else { return nil }
    return entry.withUnsafeBytes { base -> IndexPoint in
      switch kind {
      case .offset:
        return IndexPoint(
          offset: baseOffset + Int64(RawBytes.uint32(base, 0)), position: Int64(RawBytes.uint32(base, 4)))
      case .time:
        return IndexPoint(offset: baseOffset + Int64(RawBytes.uint32(base, 8)), position: 0)
      }
    }
  }
}
