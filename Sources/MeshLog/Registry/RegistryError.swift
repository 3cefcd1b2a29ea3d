public import MeshDiagnostics
public import MeshSchema

/// Everything the schema registry can fail with, with its context.
public enum RegistryError: Error, Sendable {
  case invalidSubject(String, reason: String)
  case invalidSchema(Diagnostics)
  /// The new schema breaks the subject's mode against these versions.
  case incompatible(subject: String, mode: CompatibilityMode, problems: [Incompatibility])
  case unknownSubject(String, known: [String])
  case unknownVersion(subject: String, version: Int, latest: Int)
  case unknownID(Int)
  case damaged(path: String, reason: String)
  case busy(path: String)
  case io(FileIOError)
}
