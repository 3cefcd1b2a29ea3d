public import MeshDiagnostics

/// Bounds that keep hostile input from exhausting memory or the stack.
public struct YAMLLimits: Sendable {
  /// Nodes created by expanding aliases, summed over a document ("billion laughs").
  public var maxAliasExpansionNodes: Int = 100_000
  /// Nesting depth of collections.
  public var maxDepth: Int = 512

  public init() {}
  public static let `default` = YAMLLimits()
}

public struct YAMLParseResult: Sendable {
  public var documents: [YAMLDocument]
  public var diagnostics: Diagnostics
}

/// Parses a YAML stream with libyaml's event parser into located node trees.
/// Never throws: every problem becomes a diagnostic, and documents parsed before an
/// error are still returned.
public func parseYAML(_ file: SourceFile, limits: YAMLLimits = .default) -> YAMLParseResult {
  // Placeholder until the YAML front end lands (issue 2, MeshYAML).
  YAMLParseResult(documents: [], diagnostics: Diagnostics())
}
