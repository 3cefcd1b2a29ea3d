import Synchronization

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
  /// Prefixes of entries under `topics/` that are half-made or half-deleted topics.
  static let creatingPrefix = ".creating-"
  static let deletingPrefix = ".deleting-"

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
    guard writable else { return log }
    do {
      try io.createDirectory(directory)
      try io.createDirectory(log.topicsDirectory)
      for name in try io.contents(ofDirectory: log.topicsDirectory)
      where name.hasPrefix(creatingPrefix) || name.hasPrefix(deletingPrefix) {
        try io.removeTree(LogPath.join(log.topicsDirectory, name))
      }
    } catch {
      throw .io(error)
    }
    return log
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

  /// Creates a topic atomically: it is built under a temporary name, synced, then
  /// renamed into place, so a crash leaves either no topic or a whole one.
  @discardableResult
  public func createTopic(_ name: String, config: TopicConfig) throws(LogError) -> Topic {
    guard isWritable else { throw .readOnly(topic: name) }
    try TopicName.validate(name, kind: .topic)
    try config.validate()
    let final = LogPath.join(topicsDirectory, name)
    if io.kind(of: final) != nil { throw .topicExists(name) }
    let staging = LogPath.join(topicsDirectory, Log.creatingPrefix + name)
    do {
      try io.removeTree(staging)
      try io.createDirectory(staging)
      try io.writeAtomically(config.encodedFile(), to: LogPath.join(staging, TopicConfig.fileName))
      for id in 0..<config.partitions {
        try io.createDirectory(LogPath.join(staging, String(id)))
      }
      try io.syncDirectory(staging)
      if io.kind(of: final) != nil {
        try io.removeTree(staging)
        throw LogError.topicExists(name)
      }
      try io.rename(staging, to: final)
      try io.syncDirectory(topicsDirectory)
    } catch let error as LogError {
      throw error
    } catch {
      try? io.removeTree(staging)
      throw LogError.wrap(error)
    }
    return try topic(name)
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

  /// Deletes a topic and all its data. Refused while another process writes it.
  /// The directory is first renamed aside, so a crash never leaves half a topic.
  public func deleteTopic(_ name: String) throws(LogError) {
    guard isWritable else { throw .readOnly(topic: name) }
    try TopicName.validate(name, kind: .topic)
    let directory = LogPath.join(topicsDirectory, name)
    guard io.kind(of: directory) == .directory else {
      throw .unknownTopic(name, known: (try? topicNames()) ?? [])
    }
    let open = openTopics.withLock { $0.removeValue(forKey: name) }
    try open?.close()
    do {
      let lockPath = LogPath.join(directory, Topic.lockFileName)
      guard let lock = try io.lock(lockPath) else { throw LogError.topicLocked(topic: name, path: lockPath) }
      let aside = LogPath.join(topicsDirectory, Log.deletingPrefix + name)
      try io.removeTree(aside)
      do {
        try io.rename(directory, to: aside)
        try io.syncDirectory(topicsDirectory)
      } catch {
        io.unlock(lock)
        throw error
      }
      io.unlock(lock)
      try io.removeTree(aside)
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
