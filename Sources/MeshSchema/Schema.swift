public import MeshDiagnostics

/// A parsed Avro schema: its root type and the named types it defines, by full name.
public struct Schema: Sendable {
  public var root: AvroType
  public var named: [String: NamedType]
  /// The whole schema's source, for diagnostics about it as a whole.
  public var range: SourceRange

  public func definition(_ fullName: String) -> NamedType? { named[fullName] }

  /// Parses an `.avsc` file.
  public static func parse(_ file: SourceFile) -> (schema: Schema?, diagnostics: Diagnostics) {
    let (value, jsonDiagnostics) = JSONReader.read(file)
    guard let value, !jsonDiagnostics.hasErrors else { return (nil, jsonDiagnostics) }
    var parser = SchemaParser()
    let schema = parser.parse(value)
    return (schema, parser.diagnostics)
  }

  /// Parses a schema already read into located values (inline YAML).
  public static func parse(_ value: SourceValue) -> (schema: Schema?, diagnostics: Diagnostics) {
    var parser = SchemaParser()
    let schema = parser.parse(value)
    return (schema, parser.diagnostics)
  }
}
