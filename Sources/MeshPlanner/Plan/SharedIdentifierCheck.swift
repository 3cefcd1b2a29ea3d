import MeshData
import MeshDiagnostics
import MeshManifest
import MeshPlan

/// `sharedIdentifiers` in mesh.yaml: a field of that name has the declared type in every
/// step of every product, so that joins across domains line up.
enum SharedIdentifierCheck {
  static func check(
    _ steps: [PlanStep], manifest: DataProduct, governance: Governance?, into diagnostics: inout Diagnostics
  ) {
    guard let identifiers = governance?.sharedIdentifiers, !identifiers.isEmpty else { return }
    // Only where a type is made: an input's files, a select, an aggregate. The steps that
    // pass records on would repeat the same finding, and a port input's belongs upstream.
    for step in steps where makesTypes(step.operation) {
      for field in step.schema.fields {
        guard let identifier = identifiers.first(where: { $0.name.value == field.name }),
          !matches(field.type, identifier.type.value)
        else { continue }
        diagnostics.error(
          .sharedIdentifierType,
          "'\(field.name)' is a shared identifier of type \(identifier.type.value), but it is a \(field.type) in '\(step.name)'",
          at: range(of: field.name, in: step.name, manifest),
          help: "convert it with CAST(… AS \(identifier.type.value))",
          notes: [Diagnostic.Note("declared here", at: identifier.type.range)])
      }
    }
  }

  private static func makesTypes(_ operation: StepOperation) -> Bool {
    switch operation {
    case .files, .select, .aggregate: true
    case .port, .filter, .dedupe, .join, .union: false
    }
  }

  private static func matches(_ type: DataType, _ declared: String) -> Bool {
    let aliases: [String: [String]] = [
      "int": ["int", "integer"], "long": ["long", "bigint"], "double": ["double"], "float": ["float"],
    ]
    return type.description == declared || (aliases[type.description]?.contains(declared) ?? false)
  }

  /// Where the field is written: its select column, else the step or input itself.
  private static func range(of field: String, in step: String, _ manifest: DataProduct) -> SourceRange {
    if let transform = manifest.transforms.first(where: { $0.name.value == step }) {
      if case .select(let columns) = transform.operation, let column = columns.first(where: { $0.name.value == field })
      {
        return column.name.range
      }
      return transform.name.range
    }
    if let input = manifest.inputs.first(where: { $0.name.value == step }) { return input.name.range }
    return manifest.range
  }
}
