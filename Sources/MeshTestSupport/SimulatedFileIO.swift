public import MeshLog
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An in-memory file system for durability tests, after SQLite's crash VFS and
/// TigerBeetle's simulated storage. It keeps, per file, what a process sees and what a
/// crash would leave, and `crash()` turns every unsynced change into one of the fates a
/// real disk allows:
///
/// - each write since the file's last `sync` is independently kept, lost, torn (a prefix
///   survives) or garbled (some of its bytes flipped), in any combination — no ordering
///   is promised, as with a real page cache;
/// - truncations since the last sync are kept or lost;
/// - creations, renames and removals since the last `syncDirectory` survive as a prefix
///   (a journaling file system commits metadata in order).
///
/// Faults: `FaultRule`s make chosen calls fail (optionally after writing a prefix, as a
/// full disk does), and `randomFailureRate` fails writes and syncs at random.
/// `slowDownNextSync` makes a sync take a while (a slow disk), so tests can catch a
/// thread in the middle of one.
///
/// All randomness comes from the `SeededRandom` given at creation, so a failure replays
/// from its seed. Thread-safe (one lock around the whole state).
public final class SimulatedFileIO: FileIO {
  /// A call to fail on purpose.
  public struct FaultRule: Sendable {
    public enum Operation: Sendable, Equatable { case write, sync, read, open, rename, truncate, syncDirectory }
    public var operation: Operation
    /// Only paths ending with this (empty: any path).
    public var pathSuffix: String
    /// Matching calls to let through before failing.
    public var skip: Int
    /// How many matching calls fail after the skipped ones (then the rule is spent).
    public var count: Int
    public var errno: Int32
    /// For writes: write a random prefix before failing (a short write).
    public var tearBeforeFailing: Bool

    public init(
      _ operation: Operation, pathSuffix: String = "", skip: Int = 0, count: Int = 1, errno: Int32 = EIO,
      tearBeforeFailing: Bool = false
    ) {
      self.operation = operation
      self.pathSuffix = pathSuffix
      self.skip = skip
      self.count = count
      self.errno = errno
      self.tearBeforeFailing = tearBeforeFailing
    }
  }

  /// What `crash()` does to unsynced writes, as weights.
  public struct CrashFates: Sendable {
    public var keep: Int
    public var lose: Int
    public var tear: Int
    public var garble: Int

    public init(keep: Int = 4, lose: Int = 2, tear: Int = 2, garble: Int = 1) {
      self.keep = keep
      self.lose = lose
      self.tear = tear
      self.garble = garble
    }
  }

  private enum Node: Equatable {
    case file(Int)
    case directory
  }

  private enum PendingData {
    case write(offset: Int, bytes: [UInt8])
    case truncate(Int)
  }

  private struct Inode {
    var current: [UInt8] = []
    var durable: [UInt8] = []
    var pending: [PendingData] = []
  }

  private enum NamespaceChange {
    case create(String, Node)
    case remove(String)
    case rename(String, String)
  }

  private struct OpenFile {
    var inode: Int
    var path: String
  }

  private struct State {
    var random: SeededRandom
    var inodes: [Int: Inode] = [:]
    var nextInode = 1
    var namespace: [String: Node] = ["/": .directory]
    var durableNamespace: [String: Node] = ["/": .directory]
    var pendingNamespace: [NamespaceChange] = []
    var handles: [Int32: OpenFile] = [:]
    var nextHandle: Int32 = 3
    var locks: [String: Int32] = [:]
    var rules: [FaultRule] = []
    var randomFailureRate = 0.0
    var fates = CrashFates()
    var counts: [String: Int] = [:]
    var readDelayMicroseconds: UInt32 = 0
    var crashes = 0
    /// Whether the fault just thrown should leave a prefix of the write behind.
    var lastTear = false
    var nextSyncDelayMilliseconds: UInt32 = 0
    var syncsInProgress = 0
  }

  private let state: Mutex<State>
  public let seed: UInt64

  public init(random: SeededRandom = SeededRandom()) {
    seed = random.seed
    state = Mutex(State(random: random))
  }

  // MARK: test controls

  /// Makes the next sync wait `milliseconds` before it takes effect. The wait holds no
  /// lock: other calls go on meanwhile, as they would beside a real slow disk.
  public func slowDownNextSync(milliseconds: UInt32) {
    state.withLock { $0.nextSyncDelayMilliseconds = milliseconds }
  }

  /// Makes every read wait `microseconds` before it reads (holding no lock), to widen
  /// the windows in which a reader's helper thread races the reader.
  public func slowDownReads(microseconds: UInt32) {
    state.withLock { $0.readDelayMicroseconds = microseconds }
  }

  /// Syncs that have been called and have not returned yet.
  public var syncsInProgress: Int { state.withLock { $0.syncsInProgress } }

  public func addFault(_ rule: FaultRule) { state.withLock { $0.rules.append(rule) } }
  public func clearFaults() { state.withLock { $0.rules.removeAll() } }

  /// The probability that any write or sync fails with EIO (0 by default).
  public var randomFailureRate: Double {
    get { state.withLock { $0.randomFailureRate } }
    set { state.withLock { $0.randomFailureRate = newValue } }
  }

  public var crashFates: CrashFates {
    get { state.withLock { $0.fates } }
    set { state.withLock { $0.fates = newValue } }
  }

  /// How many calls of an operation were made (`"write"`, `"sync"`, …).
  public func count(of operation: String) -> Int { state.withLock { $0.counts[operation] ?? 0 } }

  /// Simulates a power loss: every open handle and lock is gone, and unsynced data and
  /// metadata meet the fates described above. The file system stays usable, as after a
  /// reboot.
  public func crash() {
    state.withLock { state in
      state.crashes += 1
      // Metadata: a random prefix of the unsynced changes survives.
      let keep =
        state.pendingNamespace.isEmpty ? 0 : Int.random(in: 0...state.pendingNamespace.count, using: &state.random)
      var namespace = state.durableNamespace
      for change in state.pendingNamespace.prefix(keep) { SimulatedFileIO.apply(change, to: &namespace) }
      state.namespace = namespace
      state.durableNamespace = namespace
      state.pendingNamespace = []
      // Data: each unsynced write meets its own fate.
      let fates = state.fates
      for id in Array(state.inodes.keys) {
        guard var inode = state.inodes[id] else { continue }
        var content = inode.durable
        for change in inode.pending {
          switch change {
          case .truncate(let size):
            if Bool.random(using: &state.random) { SimulatedFileIO.resize(&content, to: size) }
          case .write(let offset, var bytes):
            let total = fates.keep + fates.lose + fates.tear + fates.garble
            var roll = Int.random(in: 0..<max(total, 1), using: &state.random)
            if roll < fates.keep {
              SimulatedFileIO.place(bytes, at: offset, in: &content)
              continue
            }
            roll -= fates.keep
            if roll < fates.lose { continue }
            roll -= fates.lose
            if roll < fates.tear {
              let prefix = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &state.random)
              SimulatedFileIO.place(Array(bytes.prefix(prefix)), at: offset, in: &content)
              continue
            }
            if !bytes.isEmpty {
              for _ in 0..<Int.random(in: 1...3, using: &state.random) {
                bytes[Int.random(in: 0..<bytes.count, using: &state.random)] ^= UInt8.random(
                  in: 1...255, using: &state.random)
              }
            }
            SimulatedFileIO.place(bytes, at: offset, in: &content)
          }
        }
        inode.current = content
        inode.durable = content
        inode.pending = []
        state.inodes[id] = inode
      }
      state.handles.removeAll()
      state.locks.removeAll()
    }
  }

  /// The current content of a file (for assertions and for corrupting it on purpose).
  public func contents(of path: String) -> [UInt8]? {
    state.withLock { state in
      guard case .file(let id) = state.namespace[path] else { return nil }
      return state.inodes[id]?.current
    }
  }

  /// Replaces a file's content durably (a test's way to damage data at rest).
  public func overwrite(_ path: String, with bytes: [UInt8]) {
    state.withLock { state in
      guard case .file(let id) = state.namespace[path] else { return }
      state.inodes[id]?.current = bytes
      state.inodes[id]?.durable = bytes
      state.inodes[id]?.pending = []
    }
  }

  /// Every file path, sorted.
  public func allFiles() -> [String] {
    state.withLock { state in
      state.namespace.compactMap { path, node in node == .directory ? nil : path }.sorted()
    }
  }

  // MARK: FileIO

  public func open(_ path: String, _ mode: FileOpenMode) throws(FileIOError) -> IOHandle {
    try state.withLock { (state) throws(FileIOError) -> IOHandle in
      state.counts["open", default: 0] += 1
      try SimulatedFileIO.checkFault(&state, .open, path: path, operation: .open)
      let id: Int
      switch state.namespace[path] {
      case .directory:
        throw FileIOError(.open, path: path, errno: EISDIR)
      case .file(let existing):
        if mode == .createNew { throw FileIOError(.open, path: path, errno: EEXIST) }
        id = existing
      case nil:
        guard mode == .create || mode == .createNew else { throw FileIOError(.open, path: path, errno: ENOENT) }
        guard state.namespace[LogPath.parent(of: path)] == .directory else {
          throw FileIOError(.open, path: path, errno: ENOENT)
        }
        id = state.nextInode
        state.nextInode += 1
        state.inodes[id] = Inode()
        SimulatedFileIO.change(&state, .create(path, .file(id)))
      }
      let handle = state.nextHandle
      state.nextHandle += 1
      state.handles[handle] = OpenFile(inode: id, path: path)
      return IOHandle(rawValue: handle)
    }
  }

  public func close(_ handle: IOHandle) {
    state.withLock { _ = $0.handles.removeValue(forKey: handle.rawValue) }
  }

  public func read(
    _ handle: IOHandle, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
  )
    throws(FileIOError) -> Int
  {
    let delay = state.withLock { $0.readDelayMicroseconds }
    if delay > 0 { usleep(delay) }
    return try state.withLock { (state) throws(FileIOError) -> Int in
      state.counts["read", default: 0] += 1
      // A descriptor closed under a read is a bug; POSIX might have reused the number.
      if state.handles[handle.rawValue] == nil { state.counts["read of a closed handle", default: 0] += 1 }
      let file = try SimulatedFileIO.file(state, handle, .read)
      try SimulatedFileIO.checkFault(&state, .read, path: file.path, operation: .read)
      guard let inode = state.inodes[file.inode] else { throw FileIOError(.read, path: file.path, errno: EBADF) }
      let start = Int(offset)
      guard start < inode.current.count, buffer.count > 0 else { return 0 }
      let count = min(buffer.count, inode.current.count - start)
      inode.current.withUnsafeBytes { source in
        if let target = buffer.baseAddress, let base = source.baseAddress {
          target.copyMemory(from: base + start, byteCount: count)
        }
      }
      return count
    }
  }

  public func write(_ handle: IOHandle, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileIOError) {
    let data = Array(bytes)
    try state.withLock { (state) throws(FileIOError) in
      state.counts["write", default: 0] += 1
      let file = try SimulatedFileIO.file(state, handle, .write)
      var written = data
      var failure: FileIOError?
      do throws(FileIOError) {
        try SimulatedFileIO.checkFault(&state, .write, path: file.path, operation: .write)
      } catch {
        failure = error
        let tear = state.lastTear
        written = tear && !data.isEmpty ? Array(data.prefix(Int.random(in: 0..<data.count, using: &state.random))) : []
      }
      if !written.isEmpty {
        SimulatedFileIO.place(written, at: Int(offset), in: &state.inodes[file.inode, default: Inode()].current)
        state.inodes[file.inode, default: Inode()].pending.append(.write(offset: Int(offset), bytes: written))
      }
      if let failure { throw failure }
    }
  }

  public func sync(_ handle: IOHandle) throws(FileIOError) {
    let delay = state.withLock { state -> UInt32 in
      state.counts["sync", default: 0] += 1
      state.syncsInProgress += 1
      defer { state.nextSyncDelayMilliseconds = 0 }
      return state.nextSyncDelayMilliseconds
    }
    defer { state.withLock { $0.syncsInProgress -= 1 } }
    if delay > 0 { usleep(delay * 1000) }
    try state.withLock { (state) throws(FileIOError) in
      let file = try SimulatedFileIO.file(state, handle, .sync)
      try SimulatedFileIO.checkFault(&state, .sync, path: file.path, operation: .sync)
      guard var inode = state.inodes[file.inode] else { return }
      inode.durable = inode.current
      inode.pending = []
      state.inodes[file.inode] = inode
    }
  }

  public func size(_ handle: IOHandle) throws(FileIOError) -> Int64 {
    try state.withLock { (state) throws(FileIOError) -> Int64 in
      let file = try SimulatedFileIO.file(state, handle, .size)
      return Int64(state.inodes[file.inode]?.current.count ?? 0)
    }
  }

  public func truncate(_ handle: IOHandle, to size: Int64) throws(FileIOError) {
    try state.withLock { (state) throws(FileIOError) in
      let file = try SimulatedFileIO.file(state, handle, .truncate)
      try SimulatedFileIO.checkFault(&state, .truncate, path: file.path, operation: .truncate)
      SimulatedFileIO.resize(&state.inodes[file.inode, default: Inode()].current, to: Int(size))
      state.inodes[file.inode, default: Inode()].pending.append(.truncate(Int(size)))
    }
  }

  public func rename(_ source: String, to destination: String) throws(FileIOError) {
    try state.withLock { (state) throws(FileIOError) in
      try SimulatedFileIO.checkFault(&state, .rename, path: source, operation: .rename)
      guard let node = state.namespace[source] else { throw FileIOError(.rename, path: source, errno: ENOENT) }
      guard state.namespace[LogPath.parent(of: destination)] == .directory else {
        throw FileIOError(.rename, path: source, errno: ENOENT)
      }
      if node == .directory {
        if let existing = state.namespace[destination] {
          guard existing == .directory, SimulatedFileIO.children(state.namespace, of: destination).isEmpty else {
            throw FileIOError(.rename, path: source, errno: ENOTEMPTY)
          }
        }
      } else if state.namespace[destination] == .directory {
        throw FileIOError(.rename, path: source, errno: EISDIR)
      }
      SimulatedFileIO.change(&state, .rename(source, destination))
    }
  }

  public func remove(_ path: String) throws(FileIOError) {
    try state.withLock { (state) throws(FileIOError) in
      guard let node = state.namespace[path] else { throw FileIOError(.remove, path: path, errno: ENOENT) }
      if node == .directory, !SimulatedFileIO.children(state.namespace, of: path).isEmpty {
        throw FileIOError(.remove, path: path, errno: ENOTEMPTY)
      }
      SimulatedFileIO.change(&state, .remove(path))
    }
  }

  public func createDirectory(_ path: String) throws(FileIOError) {
    try state.withLock { (state) throws(FileIOError) in
      switch state.namespace[path] {
      case .directory: return
      case .file: throw FileIOError(.createDirectory, path: path, errno: EEXIST)
      case nil:
        guard state.namespace[LogPath.parent(of: path)] == .directory else {
          throw FileIOError(.createDirectory, path: path, errno: ENOENT)
        }
        SimulatedFileIO.change(&state, .create(path, .directory))
      }
    }
  }

  public func contents(ofDirectory path: String) throws(FileIOError) -> [String] {
    try state.withLock { (state) throws(FileIOError) -> [String] in
      guard state.namespace[path] == .directory else { throw FileIOError(.listDirectory, path: path, errno: ENOENT) }
      return SimulatedFileIO.children(state.namespace, of: path)
    }
  }

  public func syncDirectory(_ path: String) throws(FileIOError) {
    try state.withLock { (state) throws(FileIOError) in
      try SimulatedFileIO.checkFault(&state, .syncDirectory, path: path, operation: .syncDirectory)
      guard state.namespace[path] == .directory else { throw FileIOError(.syncDirectory, path: path, errno: ENOENT) }
      // The journal commits in order: everything pending becomes durable.
      for change in state.pendingNamespace { SimulatedFileIO.apply(change, to: &state.durableNamespace) }
      state.pendingNamespace = []
    }
  }

  public func kind(of path: String) -> FileKind? {
    state.withLock { state in
      switch state.namespace[path] {
      case .file: .file
      case .directory: .directory
      case nil: nil
      }
    }
  }

  public func lock(_ path: String) throws(FileIOError) -> IOHandle? {
    let handle = try open(path, .create)
    return state.withLock { state in
      if state.locks[path] != nil {
        state.handles.removeValue(forKey: handle.rawValue)
        return nil
      }
      state.locks[path] = handle.rawValue
      return handle
    }
  }

  public func isLocked(_ path: String) -> Bool {
    state.withLock { $0.locks[path] != nil }
  }

  public func unlock(_ handle: IOHandle) {
    state.withLock { state in
      if let path = state.locks.first(where: { $0.value == handle.rawValue })?.key {
        state.locks.removeValue(forKey: path)
      }
      state.handles.removeValue(forKey: handle.rawValue)
    }
  }

  // MARK: internals

  private static func file(
    _ state: State, _ handle: IOHandle, _ operation: FileIOError.Operation
  ) throws(FileIOError)
    -> OpenFile
  {
    guard let file = state.handles[handle.rawValue] else {
      throw FileIOError(operation, path: "handle \(handle.rawValue)", errno: EBADF)
    }
    return file
  }

  private static func checkFault(
    _ state: inout State, _ kind: FaultRule.Operation, path: String, operation: FileIOError.Operation
  ) throws(FileIOError) {
    for index in state.rules.indices {
      let rule = state.rules[index]
      guard rule.operation == kind, rule.count > 0, rule.pathSuffix.isEmpty || path.hasSuffix(rule.pathSuffix) else {
        continue
      }
      if rule.skip > 0 {
        state.rules[index].skip -= 1
        continue
      }
      state.rules[index].count -= 1
      state.lastTear = rule.tearBeforeFailing
      throw FileIOError(operation, path: path, errno: rule.errno)
    }
    if (kind == .write || kind == .sync), state.randomFailureRate > 0,
      Double.random(in: 0..<1, using: &state.random) < state.randomFailureRate
    {
      state.lastTear = Bool.random(using: &state.random)
      throw FileIOError(operation, path: path, errno: EIO)
    }
  }

  private static func change(_ state: inout State, _ change: NamespaceChange) {
    apply(change, to: &state.namespace)
    state.pendingNamespace.append(change)
  }

  private static func apply(_ change: NamespaceChange, to namespace: inout [String: Node]) {
    switch change {
    case .create(let path, let node):
      namespace[path] = node
    case .remove(let path):
      namespace.removeValue(forKey: path)
    case .rename(let source, let destination):
      guard let node = namespace[source] else { return }
      if node == .directory {
        let prefix = source + "/"
        for (path, child) in namespace where path.hasPrefix(prefix) {
          namespace.removeValue(forKey: path)
          namespace[destination + "/" + path.dropFirst(prefix.count)] = child
        }
      }
      namespace.removeValue(forKey: source)
      namespace[destination] = node
    }
  }

  private static func children(_ namespace: [String: Node], of directory: String) -> [String] {
    let prefix = directory == "/" ? "/" : directory + "/"
    return namespace.keys.compactMap { path in
      guard path.hasPrefix(prefix), path != directory else { return nil }
      let rest = path.dropFirst(prefix.count)
      return rest.contains("/") || rest.isEmpty ? nil : String(rest)
    }
  }

  private static func place(_ bytes: [UInt8], at offset: Int, in content: inout [UInt8]) {
    if content.count < offset + bytes.count { resize(&content, to: offset + bytes.count) }
    content.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
  }

  private static func resize(_ content: inout [UInt8], to size: Int) {
    if size < content.count {
      content.removeSubrange(size...)
    } else if size > content.count {
      content.append(contentsOf: repeatElement(0, count: size - content.count))
    }
  }
}
