public import MeshDiagnostics
public import MeshManifest
import MeshPlan

/// The planning pass: each resolved product compiled to its logical plan (kept in
/// `mesh.plans`). Returns the findings of the type checker and the planner's checks:
/// `validate` reports them; `compat`, which gates on schemas alone, uses only the plans.
public enum Planner {
  public static func plan(_ mesh: inout ResolvedMesh, config: MeshConfig?) -> Diagnostics {
    var findings = Diagnostics()
    mesh.plans = []
    for product in mesh.products {
      var planner = ProductPlanner(product: product, governance: config?.governance)
      mesh.plans.append(planner.plan())
      findings.append(contentsOf: planner.diagnostics)
    }
    return findings
  }
}
