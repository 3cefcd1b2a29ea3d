public import MeshBytes
public import MeshDiagnostics
public import MeshSchema

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
  public var compatibility: Located<CompatibilityMode>?
  public var description: Located<String>?
  // stream
  public var key: [Located<String>]
  public var retention: Located<Retention<TimeSpan>>?
  /// Size bound of the topic, beside (or instead of) the time bound.
  public var retentionBytes: Located<Retention<ByteCount>>?
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
