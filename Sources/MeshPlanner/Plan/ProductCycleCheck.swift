import MeshDiagnostics
import MeshManifest

/// Products reading each other's ports in a cycle would wait on each other for ever (or
/// feed back their own output): each cycle through a product asked for is an error at
/// the input that closes it.
enum ProductCycleCheck {
  static func check(
    _ products: [LoadedProduct], byID: [String: LoadedProduct], into diagnostics: inout Diagnostics
  ) {
    var reported: Set<String> = []
    for loaded in products {
      let start = loaded.product.id
      for input in loaded.product.inputs {
        guard case .port(let reference) = input.source,
          let path = path(from: reference.product.value, to: start, byID: byID)
        else { continue }
        let cycle = [start] + path
        // One report per cycle, whichever of its products is checked first.
        let key = Set(cycle).sorted().joined(separator: " ")
        guard reported.insert(key).inserted else { continue }
        diagnostics.error(
          .productCycle, "products read each other in a cycle: \(cycle.joined(separator: " → "))",
          at: reference.product.range, help: "a product may read only products that do not read it back")
      }
    }
  }

  /// The products from `from` to `target` along port inputs (both ends included), or nil.
  private static func path(from: String, to target: String, byID: [String: LoadedProduct]) -> [String]? {
    var previous: [String: String] = [:]
    var queue = [from]
    var seen: Set<String> = [from]
    var head = 0
    while head < queue.count {
      let current = queue[head]
      head += 1
      if current == target {
        var path = [current]
        while let before = previous[path[0]] { path.insert(before, at: 0) }
        return path
      }
      for input in byID[current]?.product.inputs ?? [] {
        guard case .port(let reference) = input.source, seen.insert(reference.product.value).inserted else { continue }
        previous[reference.product.value] = current
        queue.append(reference.product.value)
      }
    }
    return nil
  }
}
