public import MeshBytes
public import MeshDiagnostics
public import MeshSchema

/// `mesh.yaml`: the mesh's name, its defaults and its federated governance policies.
public struct MeshConfig: Sendable {
  public var name: Located<String>
  public var defaults: MeshDefaults
  public var governance: Governance
  public var range: SourceRange
}

public struct MeshDefaults: Sendable {
  /// The compatibility mode of ports that name none (else BACKWARD).
  public var compatibility: Located<CompatibilityMode>?
  /// The log's data directory, relative to the mesh root (else `.meshc`).
  public var dataDir: Located<String>?
  public var retention: Located<Retention<TimeSpan>>?
}

/// Mesh-wide rules every product must follow.
public struct Governance: Sendable {
  /// Metadata every product must fill in: `description`, `owner.email`, `tags`, `docs`, `alignment`.
  public var requiredMetadata: [Located<String>]
  /// The domains products may belong to; empty means any.
  public var domains: [Located<String>]
  /// Whether PII fields may leave through a port only masked or under an access grant.
  public var requirePIIMasking: Located<Bool>?
  /// Identifiers several domains share (polysemes), with their one type.
  public var sharedIdentifiers: [SharedIdentifier]

  public static let requirableMetadata = ["description", "owner.email", "tags", "docs", "alignment"]
}

public struct SharedIdentifier: Sendable {
  public var name: Located<String>
  public var type: Located<String>
  public var doc: Located<String>?
}
