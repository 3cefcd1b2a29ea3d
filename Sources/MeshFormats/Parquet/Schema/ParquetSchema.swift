/// A Parquet schema as a tree, with the definition and repetition levels of each node
/// and the file's leaf columns in the order their chunks appear in a row group.
public struct ParquetSchema: Sendable {
  public struct Node: Sendable {
    /// Index of the node's element in the footer's schema list.
    public var id: Int
    public var element: SchemaElement
    public var children: [Node]
    /// The definition level of a value present at this node, and its repetition level.
    public var definitionLevel: Int
    public var repetitionLevel: Int

    public var name: String { element.name }
    public var isLeaf: Bool { element.childCount == nil }
    public var repetition: Repetition { element.repetition ?? .required }
  }

  public struct Leaf: Sendable {
    public var path: [String]
    public var element: SchemaElement
    public var maxDefinition: Int
    public var maxRepetition: Int
    /// The ids of the nodes from the top-level field down to this leaf.
    public var nodes: [Int]
  }

  public let elements: [SchemaElement]
  public let root: Node
  public let leaves: [Leaf]
  /// Nodes by id.
  public let nodes: [Node]

  /// Levels are stored in bytes, which bounds nesting well beyond any real schema.
  static let deepest = 200

  public init(_ elements: [SchemaElement]) throws(FormatError) {
    var builder = TreeBuilder(elements: elements)
    let root = try builder.node(definition: 0, repetition: 0, depth: 0, isRoot: true)
    guard builder.next == elements.count else {
      throw FormatError("the schema lists \(elements.count - builder.next) elements outside its root")
    }
    self.elements = elements
    self.root = root
    var byID: [Node?] = Array(repeating: nil, count: elements.count)
    var leaves: [Leaf] = []
    func visit(_ node: Node, path: [String], ids: [Int]) {
      byID[node.id] = node
      if node.isLeaf {
        leaves.append(
          Leaf(
            path: path, element: node.element, maxDefinition: node.definitionLevel,
            maxRepetition: node.repetitionLevel, nodes: ids))
      }
      for child in node.children { visit(child, path: path + [child.name], ids: ids + [child.id]) }
    }
    for child in root.children { visit(child, path: [child.name], ids: [child.id]) }
    byID[0] = root
    self.leaves = leaves
    nodes = byID.compactMap { $0 }
  }

  private struct TreeBuilder {
    let elements: [SchemaElement]
    var next = 0

    mutating func node(definition: Int, repetition: Int, depth: Int, isRoot: Bool = false) throws(FormatError) -> Node {
      guard next < elements.count else { throw FormatError("the schema ends inside a group") }
      guard depth <= ParquetSchema.deepest else {
        throw FormatError("the schema nests deeper than \(ParquetSchema.deepest)")
      }
      let id = next
      let element = elements[id]
      next += 1
      var definition = definition
      var repetition = repetition
      if !isRoot {
        switch element.repetition ?? .required {
        case .required: break
        case .optional: definition += 1
        case .repeated:
          definition += 1
          repetition += 1
        }
      }
      var children: [Node] = []
      if let count = element.childCount {
        guard count >= 0, count <= elements.count - next else {
          throw FormatError("schema element \(element.name) claims \(count) children, more than the schema has")
        }
        for _ in 0..<count {
          children.append(try node(definition: definition, repetition: repetition, depth: depth + 1))
        }
      } else if !isRoot, element.type == nil {
        throw FormatError("schema element \(element.name) has neither a type nor children")
      }
      return Node(
        id: id, element: element, children: children, definitionLevel: definition, repetitionLevel: repetition)
    }
  }
}
