public import MeshDiagnostics
public import MeshManifest
import MeshPlan

/// The planning pass: each resolved product compiled to its logical plan (kept in
/// `mesh.plans`, in the order of `mesh.products`). Returns the findings of the type
/// checker and the planner's checks: `validate` reports them; `compat`, which gates on
/// schemas alone, uses only the plans.
public enum Planner {
  public static func plan(_ mesh: inout ResolvedMesh, config: MeshConfig?) -> Diagnostics {
    var findings = Diagnostics()
    ProductCycleCheck.check(mesh.products.map(\.loaded), byID: mesh.productsByID, into: &findings)
    var plans: [String: ProductPlan] = [:]
    var pii = PIICheck()
    let requireMasking = config?.governance.requirePIIMasking?.value ?? false
    // Upstream products first, so that PII they publish in clear is known downstream.
    for product in dependencyOrder(mesh.products) {
      var planner = ProductPlanner(product: product, governance: config?.governance)
      var plan = planner.plan()
      plan.physical = Lowering.lower(plan)
      findings.append(contentsOf: planner.diagnostics)
      pii.check(plan, manifest: product.loaded.product, required: requireMasking, into: &findings)
      plans[product.id] = plan
    }
    mesh.plans = mesh.products.compactMap { plans[$0.id] }
    return findings
  }

  /// Products after the products they read (among those given); a cycle, reported by
  /// ProductCycleCheck, is broken where it is met.
  static func dependencyOrder(_ products: [ResolvedProduct]) -> [ResolvedProduct] {
    let byID = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var ordered: [ResolvedProduct] = []
    var visited: Set<String> = []
    func visit(_ product: ResolvedProduct) {
      guard visited.insert(product.id).inserted else { return }
      for input in product.loaded.product.inputs {
        if case .port(let reference) = input.source, let upstream = byID[reference.product.value] { visit(upstream) }
      }
      ordered.append(product)
    }
    products.forEach(visit)
    return ordered
  }
}
