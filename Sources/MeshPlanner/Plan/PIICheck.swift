import MeshData
import MeshDiagnostics
import MeshManifest
import MeshPlan

/// PII taint: a column of an output port whose values come, through no masking
/// function, from a field marked `pii: true` is an error when mesh.yaml requires
/// masking, unless the port has grants and every one of them allows PII in clear.
///
/// Taint starts at the fields of a file input's schema and at the columns an upstream
/// product publishes in clear (known when that product is planned in the same run; its
/// own check covers it otherwise). Counting aggregates hide single values; other
/// aggregates do not.
struct PIICheck {
  /// Per upstream port (`product.port`), the path of each column it publishes in clear.
  var publishedInClear: [String: [String: [String]]] = [:]

  static let hidingAggregates: Set<String> = ["count", "count_distinct"]

  /// Checks `plan`'s ports and remembers which of their columns carry PII in clear.
  mutating func check(
    _ plan: ProductPlan, manifest: DataProduct, required: Bool, into diagnostics: inout Diagnostics
  ) {
    var memo: [ColumnSource: [String]?] = [:]
    for output in plan.outputs {
      guard let step = plan.step(named: output.step),
        let port = manifest.outputs.first(where: { $0.name.value == output.name })
      else { continue }
      let grants = manifest.access.filter { grant in grant.ports.contains { $0.value == output.name } }
      let clearAllowed = !grants.isEmpty && grants.allSatisfy { $0.pii.value == .clear }
      var inClear: [String: [String]] = [:]
      for field in step.schema.fields {
        guard let path = taint(ColumnSource(step: step.name, column: field.name), in: plan, memo: &memo) else {
          continue
        }
        let full = ["\(plan.product).\(output.name).\(field.name)"] + path
        // Downstream products inherit only what this port may publish: a port in the
        // wrong is reported here, once, not again in each consumer.
        if !required || clearAllowed {
          inClear[field.name] = full
        } else {
          diagnostics.error(
            .piiUnmasked,
            "port '\(output.name)' publishes PII in clear: \(full.joined(separator: " ← "))", at: port.from.range,
            help:
              "mask it in a select with sha256(…), hmac(…, 'key'), mask(…) or redact(…), or grant every consumer of the port pii: clear",
            notes: grants.filter { $0.pii.value != .clear }.map {
              Diagnostic.Note(
                "consumer '\($0.consumer.value)' may see it only as pii: \($0.pii.value.rawValue)", at: $0.range)
            })
        }
      }
      publishedInClear["\(plan.product).\(output.name)"] = inClear
    }
  }

  /// The path from a column back to the PII field it shows in clear, or nil.
  private func taint(_ column: ColumnSource, in plan: ProductPlan, memo: inout [ColumnSource: [String]?]) -> [String]? {
    if let known = memo[column] { return known }
    memo[column] = .some(nil)  // a column never reads itself; this guards the walk anyway
    var found: [String]?
    if let step = plan.step(named: column.step), let index = step.schema.index(of: column.column) {
      let lineage = step.lineage[index]
      let hides = lineage.isMasked || lineage.functions.contains { Self.hidingAggregates.contains($0) }
      if !hides {
        if case .files = step.operation {
          if step.schema.fields[index].pii { found = ["\(step.name).\(column.column)"] }
        } else {
          for source in lineage.sources {
            if let upstream = publishedInClear[source.step] {
              if let path = upstream[source.column] {
                found = ["\(step.name).\(column.column)"] + path
                break
              }
            } else if let path = taint(source, in: plan, memo: &memo) {
              found = ["\(step.name).\(column.column)"] + path
              break
            }
          }
        }
      }
    }
    memo[column] = .some(found)
    return found
  }
}
