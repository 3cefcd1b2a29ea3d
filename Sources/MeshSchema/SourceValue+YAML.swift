public import MeshDiagnostics
public import MeshYAML

extension SourceValue {
  /// The same schema written inline in YAML. Scalars keep their YAML types (a plain `3`
  /// is a number, `"3"` a string), so the schema parser applies the same checks.
  public static func from(_ node: YAMLNode, diagnostics: inout Diagnostics, depth: Int = 0) -> SourceValue? {
    guard depth < JSONReader.maxDepth else {
      diagnostics.error(.schemaTooDeep, "schema nested more than \(JSONReader.maxDepth) levels deep", at: node.range)
      return nil
    }
    switch node.content {
    case .scalar(let scalar):
      switch scalar.value {
      case .null: return SourceValue(.null, at: node.range)
      case .bool(let value): return SourceValue(.bool(value), at: node.range)
      case .int(let value): return SourceValue(.number(String(value)), at: node.range)
      case .bigInt(let text): return SourceValue(.number(text), at: node.range)
      case .float(let value): return SourceValue(.number(String(value)), at: node.range)
      case .string(let text): return SourceValue(.string(text), at: node.range)
      }
    case .sequence(let items):
      var values: [SourceValue] = []
      for item in items {
        guard let value = from(item, diagnostics: &diagnostics, depth: depth + 1) else { return nil }
        values.append(value)
      }
      return SourceValue(.array(values), at: node.range)
    case .mapping(let pairs):
      var members: [Member] = []
      for pair in pairs {
        guard let key = pair.key.scalar?.text else {
          diagnostics.error(.schemaInvalidAttribute, "schema keys must be strings", at: pair.key.range)
          return nil
        }
        guard let value = from(pair.value, diagnostics: &diagnostics, depth: depth + 1) else { return nil }
        members.append(Member(key: key, keyRange: pair.key.range, value: value))
      }
      return SourceValue(.object(members), at: node.range)
    }
  }
}
