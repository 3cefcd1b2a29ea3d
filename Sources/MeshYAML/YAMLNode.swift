public import MeshDiagnostics

/// A node of a parsed YAML document. Every node keeps the span it came from, so later
/// stages point diagnostics at the exact characters. Aliases are expanded (a node reached
/// through `*a` carries the anchor's span) and merge keys (`<<`) are applied before
/// stages see the tree.
public struct YAMLNode: Sendable, Hashable {
  public enum Content: Sendable, Hashable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode])
    /// Pairs in document order; keys are unique (a duplicate is a diagnostic).
    case mapping([YAMLPair])
  }

  public var content: Content
  /// An explicit tag as written after resolving its handle (`tag:yaml.org,2002:str`,
  /// `!custom`); nil when the node has none.
  public var tag: String?
  public var anchor: String?
  public var range: SourceRange

  public init(content: Content, tag: String? = nil, anchor: String? = nil, range: SourceRange) {
    self.content = content
    self.tag = tag
    self.anchor = anchor
    self.range = range
  }
}

public struct YAMLPair: Sendable, Hashable {
  public var key: YAMLNode
  public var value: YAMLNode

  public init(key: YAMLNode, value: YAMLNode) {
    self.key = key
    self.value = value
  }
}

public enum ScalarStyle: String, Sendable, Hashable {
  case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's text as written (after unescaping) and its value under YAML 1.2's core
/// schema. Only plain scalars without a tag resolve to non-strings; quoted and block
/// scalars are always strings (`"true"` is the string true).
public struct YAMLScalar: Sendable, Hashable {
  public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    /// Integers that do not fit Int64 keep their text and resolve here.
    case bigInt(String)
    case float(Double)
    case string(String)
  }

  public var text: String
  public var style: ScalarStyle
  public var value: Value

  public init(text: String, style: ScalarStyle, value: Value) {
    self.text = text
    self.style = style
    self.value = value
  }
}

/// One document of a YAML stream (`---` separated).
public struct YAMLDocument: Sendable {
  /// Nil for an empty document.
  public var root: YAMLNode?
  public var range: SourceRange

  public init(root: YAMLNode?, range: SourceRange) {
    self.root = root
    self.range = range
  }
}
