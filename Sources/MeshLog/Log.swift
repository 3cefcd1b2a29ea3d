import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The embedded log of one data directory (`.meshc/` under the mesh root by default):
/// its topics live in `topics/<name>/`. Opened writable, it creates what is missing,
/// recovers topics as it opens them and removes leftovers of interrupted creations and
/// deletions; opened read-only, it never changes the disk (another process may be
/// writing) and sees other processes' appends through `Partition.refresh`.
///
/// Thread-safe; every call blocks on file I/O.
public final class Log: Sendable {
  public let directory: String
  public let isWritable: Bool
  let io: any FileIO
  let clock: any LogClock
  private let openTopics = Mutex<[String: Topic]>([:])

  static let topicsDirectoryName = "topics"
  /// Prefixes of entries under `topics/` that are half-made or half-deleted topics. The
  /// rest of such a name is random, not the topic's: each creation has its own staging
  /// directory, and a 249-character topic name still fits the file system's 255.
  static let creatingPrefix = ".creating-"
  static let deletingPrefix = ".deleting-"
  /// `topics/.lock`: held while a process creates or deletes a topic or removes
  /// leftovers, so that creators in different processes never share a staging directory
  /// or remove another's, and a name is checked and taken in one step.
  static let topicsLockName = ".lock"
  /// How long a creator waits for another process's creation or deletion to finish.
  static let topicsLockWaitMilliseconds = 30_000

  public var topicsDirectory: String { LogPath.join(directory, Log.topicsDirectoryName) }

  /// Where the schema registry will keep its subjects and versions (`<data>/schemas/`),
  /// beside the topics: reserved for the Avro work, nothing writes it yet.
  public var schemasDirectory: String { LogPath.join(directory, "schemas") }

  private init(directory: String, writable: Bool, io: any FileIO, clock: any LogClock) {
    self.directory = directory
    self.isWritable = writable
    self.io = io
    self.clock = clock
  }

  public static func open(
    directory: String, writable: Bool = true, io: any FileIO = POSIXFileIO(), clock: any LogClock = SystemClock()
  ) throws(LogError) -> Log {
    let log = Log(directory: directory, writable: writable, io: io, clock: clock)
    // A data directory that is a file is a mistake to report, not an empty log.
    for path in [directory, log.topicsDirectory] where io.kind(of: path).map({ $0 != .directory }) ?? false {
      throw .io(FileIOError(.listDirectory, path: path, errno: ENOTDIR))
    }
    guard writable else { return log }
    do {
      try io.createDirectory(directory)
      try io.createDirectory(log.topicsDirectory)
    } catch {
      throw .io(error)
    }
    // Under the lock no creation or deletion is under way, so every leftover is stale.
    try log.withTopicsLock(for: "topics") { () throws(LogError) in
      do throws(FileIOError) {
        for name in try io.contents(ofDirectory: log.topicsDirectory)
        where name.hasPrefix(creatingPrefix) || name.hasPrefix(deletingPrefix) {
          try io.removeTree(LogPath.join(log.topicsDirectory, name))
        }
      } catch {
        throw .io(error)
      }
    }
    return log
  }

  /// Runs `body` holding `topics/.lock`, waiting (bounded) while another process holds it.
  func withTopicsLock<T>(for topic: String, _ body: () throws(LogError) -> T) throws(LogError) -> T {
    let path = LogPath.join(topicsDirectory, Log.topicsLockName)
    var waitedMilliseconds = 0
    while true {
      let handle: IOHandle?
      do {
        handle = try io.lock(path)
      } catch {
        throw .io(error)
      }
      if let handle {
        defer { io.unlock(handle) }
        return try body()
      }
      guard waitedMilliseconds < Log.topicsLockWaitMilliseconds else { throw .topicLocked(topic: topic, path: path) }
      usleep(2000)
      waitedMilliseconds += 2
    }
  }

  /// A name for a staging entry that no other creation or deletion uses.
  private static func stagingName(_ prefix: String) -> String {
    prefix + String(UInt64.random(in: .min ... .max), radix: 16) + "-" + String(getpid())
  }

  /// The names of the topics, sorted. Entries that are not valid topic directories are
  /// skipped.
  public func topicNames() throws(LogError) -> [String] {
    guard io.kind(of: topicsDirectory) == .directory else { return [] }
    do {
      return try io.contents(ofDirectory: topicsDirectory).filter { name in
        TopicName.problem(with: name) == nil
          && io.kind(of: LogPath.join(topicsDirectory, name, TopicConfig.fileName)) == .file
      }.sorted()
    } catch {
      throw .io(error)
    }
  }

  public func topicExists(_ name: String) -> Bool {
    TopicName.problem(with: name) == nil && io.kind(of: LogPath.join(topicsDirectory, name)) == .directory
  }

  /// Creates a topic atomically: it is built under a staging name of its own, synced,
  /// then renamed into place, so a crash leaves either no topic or a whole one. Safe
  /// between processes: the name is checked and taken under `topics/.lock`, so of two
  /// processes creating the same topic one creates it and the other gets `topicExists`.
  @discardableResult
  public func createTopic(_ name: String, config: TopicConfig) throws(LogError) -> Topic {
    guard isWritable else { throw .readOnly(topic: name) }
    try TopicName.validate(name, kind: .topic)
    try config.validate()
    let final = LogPath.join(topicsDirectory, name)
    try withTopicsLock(for: name) { () throws(LogError) in
      if io.kind(of: final) != nil { throw .topicExists(name) }
      let staging = LogPath.join(topicsDirectory, Log.stagingName(Log.creatingPrefix))
      do throws(FileIOError) {
        try io.createDirectory(staging)
        try io.writeAtomically(config.encodedFile(), to: LogPath.join(staging, TopicConfig.fileName))
        for id in 0..<config.partitions {
          try io.createDirectory(LogPath.join(staging, String(id)))
          try io.writeAtomically(
            PartitionRecord.empty.encoded(), to: LogPath.join(staging, String(id), PartitionRecord.fileName))
        }
        try io.syncDirectory(staging)
        try io.rename(staging, to: final)
        try io.syncDirectory(topicsDirectory)
      } catch {
        try? io.removeTree(staging)
        throw .io(error)
      }
    }
    return try topic(name)
  }

  /// The topic, created with `config` when it does not exist yet; `created` says which.
  /// Another process creating it at the same time is not an error: both end with it.
  public func topic(_ name: String, creatingWith config: TopicConfig) throws(LogError) -> (topic: Topic, created: Bool)
  {
    if topicExists(name) { return (try topic(name), false) }
    do {
      return (try createTopic(name, config: config), true)
    } catch .topicExists {
      return (try topic(name), false)
    }
  }

  /// Opens a topic (once per log; later calls return the same object).
  public func topic(_ name: String) throws(LogError) -> Topic {
    if let open = openTopics.withLock({ $0[name] }) { return open }
    try TopicName.validate(name, kind: .topic)
    let directory = LogPath.join(topicsDirectory, name)
    guard io.kind(of: directory) == .directory else {
      throw .unknownTopic(name, known: (try? topicNames()) ?? [])
    }
    let topic = try Topic.open(name: name, directory: directory, io: io, clock: clock, writable: isWritable)
    return openTopics.withLock { topics in
      if let raced = topics[name] {
        try? topic.close()
        return raced
      }
      topics[name] = topic
      return topic
    }
  }

  /// The directory of an existing topic that this log may change, closed here if it
  /// was open (repair and deletion open it their own way, or not at all).
  private func closeForChange(_ name: String) throws(LogError) -> String {
    guard isWritable else { throw .readOnly(topic: name) }
    try TopicName.validate(name, kind: .topic)
    let directory = LogPath.join(topicsDirectory, name)
    guard io.kind(of: directory) == .directory else {
      throw .unknownTopic(name, known: (try? topicNames()) ?? [])
    }
    let open = openTopics.withLock { $0.removeValue(forKey: name) }
    try open?.close()
    return directory
  }

  /// Opens a topic for repair: a damaged partition record is rebuilt from the segment
  /// files, and a lost tail is accepted (`Partition.repair`). Returns what was done,
  /// one line each; empty when nothing needed it.
  public func repairTopic(_ name: String) throws(LogError) -> [String] {
    let directory = try closeForChange(name)
    let topic = try Topic.open(name: name, directory: directory, io: io, clock: clock, writable: true, repairing: true)
    var done: [String] = []
    do throws(LogError) {
      for partition in topic.partitions { done += try partition.repair() }
    } catch {
      try? topic.close()
      throw error
    }
    openTopics.withLock { $0[name] = topic }
    return done
  }

  /// Deletes a topic and all its data. Refused while another process writes it.
  /// The directory is first renamed aside, so a crash never leaves half a topic.
  public func deleteTopic(_ name: String) throws(LogError) {
    let directory = try closeForChange(name)
    do {
      let lockPath = LogPath.join(directory, Topic.lockFileName)
      guard let lock = try io.lock(lockPath) else { throw LogError.topicLocked(topic: name, path: lockPath) }
      defer { io.unlock(lock) }
      // Renamed aside and removed under `topics/.lock`, so that no creator takes the
      // name half-way and no other process's clean-up races this removal.
      try withTopicsLock(for: name) { () throws(LogError) in
        let aside = LogPath.join(topicsDirectory, Log.stagingName(Log.deletingPrefix))
        do throws(FileIOError) {
          try io.rename(directory, to: aside)
          try io.syncDirectory(topicsDirectory)
          try io.removeTree(aside)
        } catch {
          throw .io(error)
        }
      }
    } catch let error as LogError {
      throw error
    } catch {
      throw LogError.wrap(error)
    }
  }

  /// Stops every open topic's background work without syncing (see `Topic.abandon`).
  func abandon() {
    for topic in openTopics.withLock({ Array($0.values) }) { topic.abandon() }
  }

  /// Closes every open topic (sealing active segments so the next open is fast).
  public func close() throws(LogError) {
    let topics = openTopics.withLock { topics in
      defer { topics.removeAll() }
      return Array(topics.values)
    }
    var failure: LogError?
    for topic in topics {
      do throws(LogError) { try topic.close() } catch { failure = failure ?? error }
    }
    if let failure { throw failure }
  }
}
