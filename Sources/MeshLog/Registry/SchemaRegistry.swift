import MeshBytes
import MeshDiagnostics
public import MeshSchema

/// The embedded schema registry: subjects (Confluent's naming, e.g. `orders-value`),
/// their versions, and global schema ids, kept under `<data>/schemas/`:
///
/// ```
/// schemas/
///   .lock                         held while a schema is registered
///   next-id                       the next id to hand out, as decimal text
///   ids/0000000001.avsc           the schema text of id 1, as registered; never changed
///   subjects/orders-value.subject the subject's versions and mode (see SubjectFile)
/// ```
///
/// Ids are global and never reused: a schema whose canonical form was registered before
/// (under any subject) keeps its id, and a new id comes from the durable counter in
/// `next-id` (never lower than any id on disk or listed by a subject), so that losing an
/// id file cannot hand its id to another schema. Registering checks the subject's
/// compatibility mode (default BACKWARD) against its versions. Files are written
/// atomically and durably — the counter, then the id file, then the subject that lists
/// it — so a crash leaves at most an unused id. An id that was handed out but whose file
/// is missing is damage, reported as such, never "unknown".
///
/// Safe to use from several processes: registration takes an exclusive file lock.
public struct SchemaRegistry: Sendable {
  public enum Registration: Sendable, Equatable {
    case registered(id: Int, version: Int)
    case existing(id: Int, version: Int)
  }

  public let directory: String
  let io: any FileIO

  public init(log: Log) {
    directory = log.schemasDirectory
    io = log.io
  }

  var idsDirectory: String { LogPath.join(directory, "ids") }
  var counterPath: String { LogPath.join(directory, "next-id") }
  var subjectsDirectory: String { LogPath.join(directory, "subjects") }

  func idPath(_ id: Int) -> String {
    let digits = String(id)
    return LogPath.join(idsDirectory, String(repeating: "0", count: max(0, 10 - digits.count)) + digits + ".avsc")
  }

  func subjectPath(_ subject: String) -> String { LogPath.join(subjectsDirectory, subject + SubjectFile.fileExtension) }

  /// Subject names: letters, digits, `.`, `_`, `-`, at most 249 characters (as topics).
  public static func problem(with subject: String) -> String? {
    if subject.isEmpty || subject.utf8.count > 249 { return "a subject has 1 to 249 characters" }
    let allowed = subject.utf8.allSatisfy {
      ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 46 || $0 == 95 || $0 == 45
    }
    if !allowed || subject.hasPrefix(".") { return "use letters, digits, '.', '_' and '-', not starting with '.'" }
    return nil
  }

  // MARK: reading

  public func subjects() throws(RegistryError) -> [String] {
    guard io.kind(of: subjectsDirectory) == .directory else { return [] }
    do {
      return try io.contents(ofDirectory: subjectsDirectory).filter { $0.hasSuffix(SubjectFile.fileExtension) }
        .map { String($0.dropLast(SubjectFile.fileExtension.count)) }.sorted()
    } catch {
      throw .io(error)
    }
  }

  func subjectFile(_ subject: String) throws(RegistryError) -> SubjectFile? {
    let path = subjectPath(subject)
    let bytes: [UInt8]?
    do { bytes = try io.readSmallFile(path) } catch { throw .io(error) }
    guard let bytes else { return nil }
    guard let file = SubjectFile.decode(bytes) else {
      throw .damaged(path: path, reason: "wrong magic, version, length or checksum")
    }
    return file
  }

  /// The schema ids of a subject's versions, version 1 first.
  public func versions(of subject: String) throws(RegistryError) -> [Int] {
    guard let file = try subjectFile(subject) else { throw .unknownSubject(subject, known: try subjects()) }
    return file.ids
  }

  /// The subject's mode; BACKWARD unless set.
  public func compatibility(of subject: String) throws(RegistryError) -> CompatibilityMode {
    try subjectFile(subject)?.mode ?? .backward
  }

  /// The schema registered under `id`, as text and parsed.
  public func schema(id: Int) throws(RegistryError) -> (text: [UInt8], schema: Schema) {
    let path = idPath(id)
    let bytes: [UInt8]?
    do { bytes = try io.readSmallFile(path, limit: 16 << 20) } catch { throw .io(error) }
    guard let bytes else {
      if id >= 1, id < (try? nextID()) ?? 0 {
        throw .damaged(path: path, reason: "schema id \(id) was registered, but its file is missing")
      }
      throw .unknownID(id)
    }
    guard let schema = Schema.parse(SourceFile(path: path, bytes: bytes)).schema else {
      throw .damaged(path: path, reason: "the stored schema no longer parses")
    }
    return (bytes, schema)
  }

  /// `version` counts from 1; nil means the latest.
  public func schema(subject: String, version: Int?) throws(RegistryError) -> (id: Int, version: Int, schema: Schema) {
    let ids = try versions(of: subject)
    let number = version ?? ids.count
    guard number >= 1, number <= ids.count else {
      throw .unknownVersion(subject: subject, version: number, latest: ids.count)
    }
    return (ids[number - 1], number, try schema(id: ids[number - 1]).schema)
  }

  // MARK: writing

  /// Registers a schema under a subject, creating the subject when new.
  public func register(_ text: [UInt8], path: String, subject: String) throws(RegistryError) -> Registration {
    if let problem = Self.problem(with: subject) { throw .invalidSubject(subject, reason: problem) }
    let (parsed, diagnostics) = Schema.parse(SourceFile(path: path, bytes: text))
    guard let new = parsed, !diagnostics.hasErrors else { throw .invalidSchema(diagnostics) }
    return try withLock { () throws(RegistryError) -> Registration in
      var file = try subjectFile(subject) ?? SubjectFile(mode: nil, ids: [])
      var earlier: [Schema] = []
      for (index, id) in file.ids.enumerated() {
        let old = try schema(id: id).schema
        if old.canonicalForm == new.canonicalForm { return .existing(id: id, version: index + 1) }
        earlier.append(old)
      }
      let mode = file.mode ?? .backward
      let problems = CompatibilityChecker.check(new: new, earlier: earlier, mode: mode)
      guard problems.isEmpty else { throw .incompatible(subject: subject, mode: mode, problems: problems) }
      let id: Int
      if let found = try existingID(of: new) { id = found } else { id = try nextID() }
      do throws(FileIOError) {
        if io.kind(of: idPath(id)) == nil {
          try io.writeAtomically(Array("\(id + 1)\n".utf8), to: counterPath)
          try io.writeAtomically(text, to: idPath(id))
        }
        file.ids.append(id)
        try io.writeAtomically(file.encode(), to: subjectPath(subject))
      } catch {
        throw .io(error)
      }
      return .registered(id: id, version: file.ids.count)
    }
  }

  /// Sets a subject's mode, creating the subject when new, as Schema Registry's config
  /// endpoint does. (Not optional: `.none` would read as nil.)
  public func setCompatibility(_ mode: CompatibilityMode, for subject: String) throws(RegistryError) {
    if let problem = Self.problem(with: subject) { throw .invalidSubject(subject, reason: problem) }
    try withLock { () throws(RegistryError) in
      var file = try subjectFile(subject) ?? SubjectFile(mode: nil, ids: [])
      file.mode = mode
      do throws(FileIOError) {
        try io.writeAtomically(file.encode(), to: subjectPath(subject))
      } catch {
        throw .io(error)
      }
    }
  }

  private func storedIDs() throws(RegistryError) -> [Int] {
    guard io.kind(of: idsDirectory) == .directory else { return [] }
    do {
      return try io.contents(ofDirectory: idsDirectory).compactMap { name in
        name.hasSuffix(".avsc") ? Int(name.dropLast(5)) : nil
      }.sorted()
    } catch {
      throw .io(error)
    }
  }

  private func existingID(of schema: Schema) throws(RegistryError) -> Int? {
    for id in try storedIDs() where (try? self.schema(id: id).schema.canonicalForm) == schema.canonicalForm {
      return id
    }
    return nil
  }

  /// The next id to hand out: the counter, or past any id on disk or listed by a
  /// subject if those are higher (a registry written before the counter existed, or a
  /// counter file lost).
  private func nextID() throws(RegistryError) -> Int {
    // Ids travel in 4 bytes of Kafka's wire format, so none exceeds Int32.max.
    let limit = Int(Int32.max)
    var next = min(try storedIDs().last(where: { $0 < limit }) ?? 0, limit - 1) + 1
    let counter: [UInt8]?
    do { counter = try io.readSmallFile(counterPath, limit: 64) } catch { throw .io(error) }
    if let counter {
      let text = String(decoding: counter, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      guard let value = Int(text), value >= 1, value <= limit else {
        throw .damaged(path: counterPath, reason: "expected the next schema id, found '\(text)'")
      }
      next = max(next, value)
    }
    for subject in try subjects() {
      if let listed = try? subjectFile(subject)?.ids.max(), listed < limit { next = max(next, listed + 1) }
    }
    return next
  }

  private func withLock<T>(_ body: () throws(RegistryError) -> T) throws(RegistryError) -> T {
    let handle: IOHandle?
    do {
      try io.createDirectory(directory)
      try io.createDirectory(idsDirectory)
      try io.createDirectory(subjectsDirectory)
      handle = try io.lock(LogPath.join(directory, ".lock"))
    } catch {
      throw .io(error)
    }
    guard let handle else { throw .busy(path: directory) }
    defer { io.unlock(handle) }
    return try body()
  }
}
