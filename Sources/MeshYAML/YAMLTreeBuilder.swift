import MeshDiagnostics

/// Builds located node trees from parse events without recursion (an explicit stack),
/// so nesting depth is bounded by `YAMLLimits.maxDepth`, not by the thread's stack.
/// Expands aliases with a budget, applies merge keys and rejects duplicate keys.
struct YAMLTreeBuilder {
  /// Why building stopped before the end of the stream.
  struct Abort: Error {}

  /// An open collection. Mutated in place through `stack[last]` so appends stay O(1).
  private struct Frame {
    var isMapping: Bool
    /// Sequence items, or mapping keys and values in parallel.
    var items: [YAMLNode] = []
    var values: [YAMLNode] = []
    var pendingKey: YAMLNode?
    var start: SourceLocation
    var tag: String?
    var anchor: String?
    /// Nodes in this collection so far, itself included (the cost of an alias to it).
    var size = 1
  }

  private let file: SourceFile
  private let limits: YAMLLimits
  private var stack: [Frame] = []
  /// Anchored nodes with their node counts (what one alias to them costs).
  private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
  private var expandedNodes = 0
  private var documentRoot: YAMLNode?
  private var documentStart = SourceLocation(line: 1, column: 1)
  private(set) var documents: [YAMLDocument] = []
  var diagnostics = Diagnostics()

  init(file: SourceFile, limits: YAMLLimits) {
    self.file = file
    self.limits = limits
  }

  private func range(_ start: SourceLocation, _ end: SourceLocation) -> SourceRange {
    SourceRange(file: file.path, start: start, end: end)
  }

  mutating func startDocument(at start: SourceLocation) {
    documentRoot = nil
    documentStart = start
    anchors = [:]
    expandedNodes = 0
  }

  mutating func endDocument(at end: SourceLocation) {
    documents.append(YAMLDocument(root: documentRoot, range: range(documentStart, end)))
    documentRoot = nil
  }

  mutating func scalar(
    text: String, style: ScalarStyle, tag: String?, anchor: String?, start: SourceLocation, end: SourceLocation
  ) throws(Abort) {
    let nodeRange = range(start, end)
    let value: YAMLScalar.Value
    switch tag {
    case nil: value = style == .plain ? CoreSchema.resolvePlain(text) : .string(text)
    case Tag.nonSpecific?: value = .string(text)
    case let explicit?:
      if let resolved = CoreSchema.resolve(text, tag: explicit) {
        value = resolved
      } else {
        diagnostics.error(
          .yamlInvalidTaggedValue, "'\(text)' is not a valid value for tag '\(Self.shortTag(explicit))'", at: nodeRange)
        value = .string(text)
      }
    }
    let node = YAMLNode(
      content: .scalar(YAMLScalar(text: text, style: style, value: value)), tag: tag, anchor: anchor, range: nodeRange)
    add(node, size: 1, anchor: anchor)
  }

  mutating func alias(_ name: String, start: SourceLocation, end: SourceLocation) throws(Abort) {
    let aliasRange = range(start, end)
    guard let target = anchors[name] else {
      diagnostics.error(
        .yamlUndefinedAlias, "alias '*\(name)' refers to no anchor defined before it", at: aliasRange,
        help: "define '&\(name)' on a node earlier in the same document")
      throw Abort()
    }
    expandedNodes += target.size
    if expandedNodes > limits.maxAliasExpansionNodes {
      diagnostics.error(
        .yamlAliasExpansionLimit,
        "aliases expand to more than \(limits.maxAliasExpansionNodes) nodes in this document", at: aliasRange,
        help: "a document whose aliases multiply (a 'billion laughs') is refused; reduce the nesting of aliases")
      throw Abort()
    }
    add(target.node, size: target.size, anchor: nil)
  }

  mutating func startCollection(isMapping: Bool, tag: String?, anchor: String?, start: SourceLocation) throws(Abort) {
    if stack.count >= limits.maxDepth {
      diagnostics.error(
        .yamlTooDeep, "collections are nested more than \(limits.maxDepth) levels deep", at: range(start, start))
      throw Abort()
    }
    stack.append(Frame(isMapping: isMapping, start: start, tag: tag, anchor: anchor))
  }

  mutating func endCollection(end: SourceLocation) throws(Abort) {
    guard let frame = stack.popLast() else { return }
    let content: YAMLNode.Content =
      frame.isMapping ? .mapping(mergedPairs(keys: frame.items, values: frame.values)) : .sequence(frame.items)
    let node = YAMLNode(content: content, tag: frame.tag, anchor: frame.anchor, range: range(frame.start, end))
    add(node, size: frame.size, anchor: frame.anchor)
  }

  private mutating func add(_ node: YAMLNode, size: Int, anchor: String?) {
    if let anchor { anchors[anchor] = (node, size) }
    guard !stack.isEmpty else {
      documentRoot = node
      return
    }
    let last = stack.count - 1
    stack[last].size += size
    if !stack[last].isMapping {
      stack[last].items.append(node)
    } else if let key = stack[last].pendingKey {
      stack[last].items.append(key)
      stack[last].values.append(node)
      stack[last].pendingKey = nil
    } else {
      stack[last].pendingKey = node
    }
  }

  /// Applies `<<` merge keys (explicit keys win; among merged mappings the first wins)
  /// and reports duplicate explicit keys.
  private mutating func mergedPairs(keys: [YAMLNode], values: [YAMLNode]) -> [YAMLPair] {
    var pairs: [YAMLPair] = []
    var seen: [KeyIdentity: YAMLNode] = [:]
    var merges: [YAMLNode] = []
    for (key, value) in zip(keys, values) {
      if Self.isMergeKey(key) {
        merges.append(value)
        continue
      }
      if let identity = KeyIdentity(key) {
        if let first = seen[identity] {
          diagnostics.error(
            .yamlDuplicateKey, "duplicate key '\(key.scalar?.text ?? "")' in mapping", at: key.range,
            notes: [Diagnostic.Note("first defined here", at: first.range)])
          continue
        }
        seen[identity] = key
      }
      pairs.append(YAMLPair(key: key, value: value))
    }
    for merge in merges {
      let sources: [YAMLNode]
      switch merge.content {
      case .mapping: sources = [merge]
      case .sequence(let items) where items.allSatisfy({ $0.mapping != nil }): sources = items
      default:
        diagnostics.error(
          .yamlInvalidMerge,
          "a merge key '<<' needs a mapping or a sequence of mappings, found \(merge.kindDescription)",
          at: merge.range)
        continue
      }
      for source in sources {
        for pair in source.mapping ?? [] {
          guard let identity = KeyIdentity(pair.key) else {
            pairs.append(pair)
            continue
          }
          if seen[identity] == nil {
            seen[identity] = pair.key
            pairs.append(pair)
          }
        }
      }
    }
    return pairs
  }

  private static func isMergeKey(_ key: YAMLNode) -> Bool {
    guard let scalar = key.scalar, scalar.text == "<<" else { return false }
    return (key.tag == nil && scalar.style == .plain) || key.tag == Tag.merge
  }

  static func shortTag(_ tag: String) -> String {
    tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
  }
}

/// What makes two scalar keys the same key: their resolved value, so `1` and `0x1`
/// collide while `"1"` and `1` do not. Collection keys are not compared.
private enum KeyIdentity: Hashable {
  case null
  case bool(Bool)
  case int(Int64)
  case bigInt(String)
  case float(UInt64)
  case string(String)

  init?(_ node: YAMLNode) {
    guard let scalar = node.scalar else { return nil }
    switch scalar.value {
    case .null: self = .null
    case .bool(let value): self = .bool(value)
    case .int(let value): self = .int(value)
    case .bigInt(let text): self = .bigInt(text)
    case .float(let value): self = .float(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
    case .string(let text): self = .string(text)
    }
  }
}
