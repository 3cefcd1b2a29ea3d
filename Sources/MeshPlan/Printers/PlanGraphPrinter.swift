/// The plan as a picture: Graphviz DOT or Mermaid, one box per product, one node per
/// step and port, and an edge for each read, labelled with the fields that flow on it;
/// a product's port input joins the upstream port's node, so a whole mesh shows its
/// lineage across domains.
public enum PlanGraphPrinter {
  public enum Style: Sendable { case dot, mermaid }

  public static func text(_ plans: [ProductPlan], style: Style) -> String {
    var graph = Graph()
    for plan in plans { graph.add(plan) }
    return style == .dot ? graph.dot() : graph.mermaid()
  }

  private struct Node {
    var id: String
    var label: String
    var product: String
  }

  private struct Edge {
    var from: String
    var to: String
    var label: String
  }

  private struct Graph {
    var nodes: [Node] = []
    var edges: [Edge] = []
    var products: [String] = []

    static func id(_ parts: String...) -> String {
      "n_" + parts.joined(separator: "__").map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    mutating func add(_ plan: ProductPlan) {
      products.append(plan.product)
      for step in plan.steps {
        let id = Self.id(plan.product, step.name)
        nodes.append(Node(id: id, label: "\(step.name)\n\(StepSummary.kind(step.operation))", product: plan.product))
        if case .port(let product, let port, _) = step.operation {
          edges.append(Edge(from: Self.id(product, "port", port), to: id, label: fields(step)))
        }
        for input in step.inputs {
          let source = plan.step(named: input)
          edges.append(Edge(from: Self.id(plan.product, input), to: id, label: source.map(fields) ?? ""))
        }
      }
      for output in plan.outputs {
        let id = Self.id(plan.product, "port", output.name)
        nodes.append(Node(id: id, label: "\(output.name)\n\(output.kind) port", product: plan.product))
        edges.append(
          Edge(
            from: Self.id(plan.product, output.step), to: id, label: plan.step(named: output.step).map(fields) ?? ""))
      }
    }

    private func fields(_ step: PlanStep) -> String {
      step.schema.fields.map { "\($0.name): \($0.type)\($0.nullable ? "?" : "")" }.joined(separator: "\n")
    }

    func dot() -> String {
      var lines = ["digraph mesh {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
      lines.append("  edge [fontname=\"Helvetica\", fontsize=9];")
      for (index, product) in products.enumerated() {
        lines.append("  subgraph cluster_\(index) {")
        lines.append("    label=\(quoted(product));")
        for node in nodes where node.product == product {
          lines.append("    \(node.id) [label=\(quoted(node.label))];")
        }
        lines.append("  }")
      }
      let known = Set(nodes.map(\.id))
      for edge in edges {
        // An upstream port outside the plans printed still gets a node of its own.
        if !known.contains(edge.from) { lines.append("  \(edge.from) [label=\(quoted(edge.from)), style=dashed];") }
        lines.append("  \(edge.from) -> \(edge.to) [label=\(quoted(edge.label + "\n"))];")
      }
      lines.append("}")
      return lines.joined(separator: "\n") + "\n"
    }

    /// DOT strings: quotes and backslashes escaped, lines left-aligned (`\l`).
    private func quoted(_ text: String) -> String {
      "\"" + escaped(text, ["\\": "\\\\", "\"": "\\\"", "\n": "\\l"]) + "\""
    }

    func mermaid() -> String {
      var lines = ["flowchart LR"]
      for product in products {
        lines.append("  subgraph \(Self.id(product))[\"\(mermaidText(product))\"]")
        for node in nodes where node.product == product {
          lines.append("    \(node.id)[\"\(mermaidText(node.label))\"]")
        }
        lines.append("  end")
      }
      for edge in edges {
        lines.append("  \(edge.from) -->|\"\(mermaidText(edge.label))\"| \(edge.to)")
      }
      return lines.joined(separator: "\n") + "\n"
    }

    /// Mermaid labels: quotes and angle brackets as entities, lines as `<br/>`.
    private func mermaidText(_ text: String) -> String {
      escaped(text, ["\"": "#quot;", "<": "#lt;", ">": "#gt;", "\n": "<br/>"])
    }

    private func escaped(_ text: String, _ replacements: [Character: String]) -> String {
      text.map { replacements[$0] ?? String($0) }.joined()
    }
  }
}
