import Foundation

/// Why a git query failed; rendered as a usage failure by the commands that read history.
public struct GitError: Error, Sendable, CustomStringConvertible {
  public var command: [String]
  public var status: Int32
  public var output: String

  public var description: String {
    let detail = output.trimmingCharacters(in: .whitespacesAndNewlines)
    return "git \(command.joined(separator: " ")) failed (exit \(status))" + (detail.isEmpty ? "" : ": \(detail)")
  }
}

/// Read-only access to the history of the git repository that holds the mesh, through
/// the `git` command, so `compat --base` reads old versions without touching the work tree.
public struct GitRepository: Sendable {
  /// The repository's top-level directory.
  public let root: URL

  /// The repository containing `directory`, or nil when it is not inside one.
  public init?(containing directory: URL) {
    guard
      let top = try? GitRepository.run(["rev-parse", "--show-toplevel"], in: directory),
      let path = String(bytes: top, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
      !path.isEmpty
    else { return nil }
    root = URL(fileURLWithPath: path)
  }

  /// The full commit id a ref names (`origin/main`, `HEAD~1`, a tag).
  public func commit(_ ref: String) throws -> String {
    let out = try run(["rev-parse", "--verify", "--quiet", "\(ref)^{commit}"])
    return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A file's bytes at a commit, or nil when the file does not exist there.
  /// `path` is relative to the repository root.
  public func file(_ path: String, at commit: String) throws -> [UInt8]? {
    guard try fileExists(path, at: commit) else { return nil }
    return try run(["show", "\(commit):\(path)"])
  }

  /// Paths of the files under `directory` (relative to the root; "" for all) at a commit.
  public func files(under directory: String, at commit: String) throws -> [String] {
    var arguments = ["ls-tree", "-r", "-z", "--name-only", commit]
    if !directory.isEmpty { arguments += ["--", directory] }
    return try run(arguments).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The commits at or before `commit` that changed any of `paths`, oldest first.
  public func commits(touching paths: [String], upTo commit: String) throws -> [GitCommit] {
    try log(["--reverse", commit, "--"] + paths)
  }

  /// Commits of `git log` with `arguments`: id, short id, date and subject, separated by
  /// NUL (which no subject holds), one commit a line.
  private func log(_ arguments: [String]) throws -> [GitCommit] {
    let out = try run(["log", "--format=%H%x00%h%x00%cs%x00%s"] + arguments)
    return String(decoding: out, as: UTF8.self).split(separator: "\n").compactMap { line in
      let fields = line.split(separator: "\0", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
      guard fields.count == 4 else { return nil }
      return GitCommit(id: fields[0], shortID: fields[1], date: fields[2], subject: fields[3])
    }
  }

  /// The path of `url` relative to the repository root, or nil when outside it.
  public func relativePath(of url: URL) -> String? {
    let base = root.resolvingSymlinksInPath().standardizedFileURL.path
    let full = url.resolvingSymlinksInPath().standardizedFileURL.path
    if full == base { return "" }
    guard full.hasPrefix(base + "/") else { return nil }
    return String(full.dropFirst(base.count + 1))
  }

  private func fileExists(_ path: String, at commit: String) throws -> Bool {
    let out = try run(["ls-tree", "--name-only", commit, "--", path])
    return !out.isEmpty
  }

  private func run(_ arguments: [String]) throws -> [UInt8] {
    try GitRepository.run(arguments, in: root)
  }

  private static func run(_ arguments: [String], in directory: URL) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", directory.path] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read before waiting: a full pipe would block git forever.
    let bytes = output.fileHandleForReading.readDataToEndOfFile()
    let errorBytes = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw GitError(
        command: arguments, status: process.terminationStatus, output: String(decoding: errorBytes, as: UTF8.self))
    }
    return [UInt8](bytes)
  }
}
