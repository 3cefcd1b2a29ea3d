/// The segment the writer appends to, with its open files and in-memory index. Owned
/// by the partition's writer (under its lock); a `~Copyable`-style resource in spirit:
/// exactly one exists per writable partition, and `close` releases its descriptors.
struct ActiveSegment {
  let baseOffset: Offset
  let logPath: String
  let offsetIndexPath: String
  let timeIndexPath: String
  let log: IOHandle
  let offsetIndexFile: IOHandle
  let timeIndexFile: IOHandle
  var size: Int64
  var nextOffset: Offset
  let index: MemoryIndex
  var builder: IndexBuilder
  /// Index entries already written to the index files.
  var persistedEntries: Int
  /// When the segment's age starts counting, for rolling by `segment.ms`.
  var rollClockStart: Int64?

  var maxTimestamp: Int64 { builder.maxTimestamp }

  /// Creates the files of a new, empty segment and makes their names durable.
  static func create(
    directory: String, baseOffset: Offset, indexInterval: Int, io: any FileIO
  ) throws(FileIOError) -> ActiveSegment {
    let logPath = LogPath.join(directory, SegmentName.log(baseOffset))
    let offsetPath = LogPath.join(directory, SegmentName.index(baseOffset))
    let timePath = LogPath.join(directory, SegmentName.timeIndex(baseOffset))
    let log = try io.open(logPath, .create)
    try io.truncate(log, to: 0)
    let offsetFile = try io.open(offsetPath, .create)
    let timeFile = try io.open(timePath, .create)
    try resetIndexFile(offsetFile, kind: .offset, io: io)
    try resetIndexFile(timeFile, kind: .time, io: io)
    try io.syncDirectory(directory)
    return ActiveSegment(
      baseOffset: baseOffset, logPath: logPath, offsetIndexPath: offsetPath, timeIndexPath: timePath, log: log,
      offsetIndexFile: offsetFile, timeIndexFile: timeFile, size: 0, nextOffset: baseOffset,
      index: MemoryIndex(baseOffset: baseOffset), builder: IndexBuilder(interval: indexInterval),
      persistedEntries: 0, rollClockStart: nil)
  }

  static func resetIndexFile(_ handle: IOHandle, kind: IndexFile.Kind, io: any FileIO) throws(FileIOError) {
    try io.truncate(handle, to: 0)
    try io.write(handle, IndexFile.openHeader(kind), at: 0)
  }

  /// Writes index entries the files do not have yet (not synced: indexes are rebuilt
  /// after a crash).
  mutating func persistIndexEntries(io: any FileIO) throws(FileIOError) {
    let count = index.count
    guard count > persistedEntries else { return }
    for kind in [IndexFile.Kind.offset, .time] {
      let bytes = index.encoded(kind, from: persistedEntries)
      let handle = kind == .offset ? offsetIndexFile : timeIndexFile
      let position = Int64(IndexFile.headerSize + persistedEntries * kind.entrySize)
      try io.write(handle, bytes, at: position)
    }
    persistedEntries = count
  }

  /// Syncs the log and writes both index files whole with sealed headers, so that the
  /// next open trusts them without scanning the log.
  mutating func seal(io: any FileIO) throws(FileIOError) {
    try io.sync(log)
    let seal = IndexFile.Seal(
      logBytes: size, nextOffset: nextOffset, maxTimestamp: maxTimestamp, entryCount: index.count)
    for kind in [IndexFile.Kind.offset, .time] {
      let handle = kind == .offset ? offsetIndexFile : timeIndexFile
      let bytes = IndexFile.sealed(kind, seal: seal, entries: index.encoded(kind))
      try io.truncate(handle, to: 0)
      try io.write(handle, bytes, at: 0)
      try io.sync(handle)
    }
    persistedEntries = index.count
  }

  func close(io: any FileIO) {
    io.close(log)
    io.close(offsetIndexFile)
    io.close(timeIndexFile)
  }

  /// What readers see of this segment once it is sealed: a closed segment read through
  /// its index files.
  func sealedSnapshot(io: any FileIO, damage: CorruptBatch?) -> SegmentSnapshot {
    SegmentSnapshot(
      baseOffset: baseOffset, logPath: logPath, isActive: false, committedBytes: size, nextOffset: nextOffset,
      maxTimestamp: maxTimestamp,
      index: FileIndex(baseOffset: baseOffset, offsetPath: offsetIndexPath, timePath: timeIndexPath, io: io),
      damage: damage)
  }

  /// What readers see of this segment: its acknowledged bytes.
  func snapshot(damage: CorruptBatch? = nil) -> SegmentSnapshot {
    SegmentSnapshot(
      baseOffset: baseOffset, logPath: logPath, isActive: true, committedBytes: size, nextOffset: nextOffset,
      maxTimestamp: maxTimestamp, index: index, damage: damage)
  }
}
