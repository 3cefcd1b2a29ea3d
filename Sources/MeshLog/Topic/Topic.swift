import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where an appended record went.
public struct RecordPosition: Hashable, Sendable {
  public var partition: Int
  public var offset: Offset

  public init(partition: Int, offset: Offset) {
    self.partition = partition
    self.offset = offset
  }
}

/// A named stream of records split into partitions, each an independent log. A topic
/// opened for writing holds the lock file `<topic>/.lock`, so at most one process
/// writes it at a time; any number of processes may read it.
///
/// Thread-safe; blocking.
public final class Topic: Sendable {
  public let name: String
  public let config: TopicConfig
  public let directory: String
  public let partitions: [Partition]
  let io: any FileIO
  let clock: any LogClock
  private let lock: Mutex<IOHandle?>
  /// Where keyless records go next: sticky within an append, rotating across appends.
  private let nextKeylessPartition = Mutex<Int>(0)
  /// The background syncer of a writable `fsync=interval` topic.
  private let flusher = Mutex<IntervalFlusher?>(nil)

  static let lockFileName = ".lock"
  static let groupsDirectory = "groups"

  init(
    name: String, config: TopicConfig, directory: String, partitions: [Partition], io: any FileIO,
    clock: any LogClock, lock: IOHandle?
  ) {
    self.name = name
    self.config = config
    self.directory = directory
    self.partitions = partitions
    self.io = io
    self.clock = clock
    self.lock = Mutex(lock)
  }

  /// A topic dropped without `close` releases its lock and files without sealing (as a
  /// crashed process would); the next open recovers it.
  deinit {
    flusher.withLock { $0?.stop() }
    lock.withLock { handle in
      if let held = handle { io.unlock(held) }
      handle = nil
    }
  }

  public var isWritable: Bool { partitions.first?.isWritable ?? false }

  public func partition(_ id: Int) throws(LogError) -> Partition {
    guard partitions.indices.contains(id) else {
      throw .unknownPartition(topic: name, partition: id, partitionCount: partitions.count)
    }
    return partitions[id]
  }

  /// Appends records, each to `partition` if given, else to the partition its key hashes
  /// to (Kafka's default partitioner), keyless records all to one partition per call
  /// (rotating between calls). Returns where each record went, in input order, once every
  /// partition's batch is acknowledged. Partitions are appended one after the other: if
  /// one fails, the earlier ones stay acknowledged.
  @discardableResult
  public func append(_ records: [Record], partition explicit: Int? = nil) throws(LogError) -> [RecordPosition] {
    if let explicit { _ = try partition(explicit) }
    let count = partitions.count
    var keyless = 0
    if explicit == nil, records.contains(where: { $0.key == nil }) {
      keyless = nextKeylessPartition.withLock { next in
        defer { next = (next + 1) % count }
        return next
      }
    }
    var groups = [[Int]](repeating: [], count: count)
    for (index, record) in records.enumerated() {
      let target =
        explicit ?? record.key.map { Partitioner.partition(forKey: $0, partitionCount: count) } ?? keyless
      groups[target].append(index)
    }
    var positions = [RecordPosition](repeating: RecordPosition(partition: 0, offset: 0), count: records.count)
    for (partitionID, indices) in groups.enumerated() where !indices.isEmpty {
      let range = try partitions[partitionID].append(indices.map { records[$0] })
      for (step, index) in indices.enumerated() {
        positions[index] = RecordPosition(partition: partitionID, offset: range.lowerBound + Int64(step))
      }
    }
    return positions
  }

  /// Stops background work without syncing or sealing anything, as a killed process
  /// would: tests call it before they simulate a power loss, since a real one stops
  /// every thread at once.
  func abandon() {
    flusher.withLock { flusher in
      flusher?.stop()
      flusher = nil
    }
  }

  /// Seals every partition and releases the writer lock. Safe to call twice.
  public func close() throws(LogError) {
    abandon()
    var failure: LogError?
    for partition in partitions {
      do throws(LogError) { try partition.close() } catch { failure = failure ?? error }
    }
    lock.withLock { handle in
      if let held = handle { io.unlock(held) }
      handle = nil
    }
    if let failure { throw failure }
  }

  /// Opens a topic directory.
  static func open(
    name: String, directory: String, io: any FileIO, clock: any LogClock, writable: Bool, repairing: Bool = false
  ) throws(LogError) -> Topic {
    let configPath = LogPath.join(directory, TopicConfig.fileName)
    let bytes: [UInt8]
    do {
      guard let read = try io.readSmallFile(configPath) else {
        // Deleted by another process since the caller looked, or damaged.
        if io.kind(of: directory) != .directory { throw LogError.unknownTopic(name, known: []) }
        throw LogError.damagedConfig(topic: name, path: configPath, reason: "the file is missing")
      }
      bytes = read
    } catch let error as LogError {
      throw error
    } catch {
      throw LogError.wrap(error)
    }
    let config: TopicConfig
    switch TopicConfig.decodeFile(bytes) {
    case .success(let decoded): config = decoded
    case .failure(let problem):
      throw .damagedConfig(topic: name, path: configPath, reason: problem.description)
    }
    var lockHandle: IOHandle?
    if writable {
      let lockPath = LogPath.join(directory, lockFileName)
      do {
        lockHandle = try io.lock(lockPath)
        // A reader probing whether a writer is alive holds the lock for an instant.
        var waited = 0
        while lockHandle == nil, waited < 20 {
          usleep(10_000)
          waited += 1
          lockHandle = try io.lock(lockPath)
        }
      } catch {
        // The directory went away: another process deleted the topic meanwhile.
        if error.isNotFound { throw .unknownTopic(name, known: []) }
        throw .io(error)
      }
      guard let held = lockHandle else { throw .topicLocked(topic: name, path: lockPath) }
      // A deletion holds this lock while it renames the topic away: once we hold it, the
      // topic is either still here or gone.
      guard io.kind(of: configPath) == .file else {
        io.unlock(held)
        throw .unknownTopic(name, known: [])
      }
      // Temporary files of group commits that a crash interrupted.
      let groups = LogPath.join(directory, groupsDirectory)
      for file in (try? io.contents(ofDirectory: groups)) ?? [] where file.contains(".tmp") {
        try? io.remove(LogPath.join(groups, file))
      }
    }
    var partitions: [Partition] = []
    do {
      for id in 0..<config.partitions {
        partitions.append(
          try Partition.open(
            topic: name, id: id, config: config, directory: LogPath.join(directory, String(id)), io: io, clock: clock,
            writable: writable, repairing: repairing))
      }
    } catch {
      for partition in partitions { try? partition.close() }
      if let lockHandle { io.unlock(lockHandle) }
      throw error
    }
    let topic = Topic(
      name: name, config: config, directory: directory, partitions: partitions, io: io, clock: clock, lock: lockHandle)
    if writable, case .interval(let milliseconds) = config.fsync {
      topic.flusher.withLock { $0 = IntervalFlusher(topic: topic, milliseconds: milliseconds) }
    }
    return topic
  }
}
