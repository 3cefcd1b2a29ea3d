/// Conveniences for decoders walking the tree.
extension YAMLNode {
  public var scalar: YAMLScalar? {
    if case .scalar(let scalar) = content { return scalar }
    return nil
  }

  public var sequence: [YAMLNode]? {
    if case .sequence(let items) = content { return items }
    return nil
  }

  public var mapping: [YAMLPair]? {
    if case .mapping(let pairs) = content { return pairs }
    return nil
  }

  /// The value under a string key of a mapping node, or nil.
  public subscript(key: String) -> YAMLNode? {
    mapping?.first { $0.key.scalar?.text == key }?.value
  }

  /// "a mapping", "a sequence", "a string", … for messages like
  /// "expected a mapping, found a sequence".
  public var kindDescription: String {
    switch content {
    case .mapping: "a mapping"
    case .sequence: "a sequence"
    case .scalar(let scalar):
      switch scalar.value {
      case .null: "null"
      case .bool: "a boolean"
      case .int, .bigInt: "an integer"
      case .float: "a number"
      case .string: "a string"
      }
    }
  }
}
