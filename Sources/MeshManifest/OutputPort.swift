public import MeshBytes
public import MeshDiagnostics

/// A port through which others consume a product: an event stream (a topic), batch files
/// written periodically, or an API.
public struct OutputPort: Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    case stream, batch, api
  }

  public var name: Located<String>
  public var kind: Located<Kind>
  public var from: Located<String>
  /// The port's contract.
  public var schema: SchemaReference?
  /// A Schema Registry mode name (`BACKWARD_TRANSITIVE`); nil means the mesh default.
  public var compatibility: Located<String>?
  public var description: Located<String>?
  // stream
  public var key: [Located<String>]
  public var retention: Located<Retention>?
  /// Size bound of the topic, beside (or instead of) the time bound.
  public var retentionBytes: Located<ByteCount>?
  public var partitions: Located<Int>?
  // batch
  public var format: Located<FileFormat>?
  public var path: Located<String>?
  public var partitionBy: Located<String>?
  public var every: Located<TimeSpan>?
  // api
  public var route: Located<String>?
  public var range: SourceRange
}

public enum Retention: Sendable, Hashable {
  case infinite
  case time(TimeSpan)
}

/// The compatibility modes of Schema Registry, as manifests spell them.
public enum CompatibilityModeName {
  public static let all = [
    "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE",
  ]
}
