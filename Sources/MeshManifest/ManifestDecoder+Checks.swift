import MeshDiagnostics

extension ManifestDecoder {
  /// Checks within one product: step names are unique across inputs, transforms and
  /// outputs; every reference names an earlier-declared step; transforms form no cycle;
  /// access grants and quality rules name real ports.
  mutating func checkSteps(_ product: DataProduct) {
    var declared: [String: Located<String>] = [:]
    let names = product.inputs.map(\.name) + product.transforms.map(\.name) + product.outputs.map(\.name)
    for name in names {
      if let first = declared[name.value] {
        diagnostics.error(
          .duplicateName, "duplicate name '\(name.value)' in product '\(product.id)'", at: name.range,
          help: "inputs, transforms and outputs share one namespace",
          notes: [Diagnostic.Note("first declared here", at: first.range)])
      } else {
        declared[name.value] = name
      }
    }
    let steps = Set(product.inputs.map(\.name.value) + product.transforms.map(\.name.value))
    for transform in product.transforms {
      for reference in transform.upstream { checkReference(reference, steps: steps) }
    }
    for output in product.outputs { checkReference(output.from, steps: steps) }
    checkCycles(product.transforms)
    let ports = Set(product.outputs.map(\.name.value))
    for grant in product.access {
      for port in grant.ports where !ports.contains(port.value) {
        diagnostics.error(
          .unknownPort, "access grant names '\(port.value)', which is no port of '\(product.id)'", at: port.range,
          help: Suggestion.didYouMean(port.value, among: ports))
      }
    }
    var rules: [String: Located<String>] = [:]
    for rule in product.quality {
      if let first = rules[rule.name.value] {
        diagnostics.error(
          .duplicateName, "duplicate quality rule '\(rule.name.value)'", at: rule.name.range,
          notes: [Diagnostic.Note("first declared here", at: first.range)])
      }
      rules[rule.name.value] = rule.name
    }
  }

  private mutating func checkReference(_ reference: Located<String>, steps: Set<String>) {
    guard !steps.contains(reference.value) else { return }
    diagnostics.error(
      .unknownStep, "'\(reference.value)' is no input or transform of this product", at: reference.range,
      help: Suggestion.didYouMean(reference.value, among: steps))
  }

  /// Depth-first search over `upstream` edges, iterative so a long chain cannot
  /// exhaust the stack; each cycle is reported once, at the step that closes it.
  private mutating func checkCycles(_ transforms: [Transform]) {
    let byName = Dictionary(transforms.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first })
    var state: [String: Int] = [:]  // 1 visiting, 2 done
    for root in transforms where state[root.name.value] == nil {
      var stack: [(name: String, next: Int)] = [(root.name.value, 0)]
      state[root.name.value] = 1
      while let top = stack.last {
        guard let transform = byName[top.name], top.next < transform.upstream.count else {
          state[top.name] = 2
          stack.removeLast()
          continue
        }
        stack[stack.count - 1].next += 1
        let reference = transform.upstream[top.next]
        guard byName[reference.value] != nil else { continue }
        switch state[reference.value] {
        case 1?:
          let path = stack.map(\.name).drop { $0 != reference.value } + [reference.value]
          diagnostics.error(
            .transformCycle, "transforms form a cycle: \(path.joined(separator: " -> "))", at: reference.range)
        case nil:
          state[reference.value] = 1
          stack.append((reference.value, 0))
        default: break
        }
      }
    }
  }
}
