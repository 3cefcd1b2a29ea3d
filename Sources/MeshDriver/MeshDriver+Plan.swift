import Foundation
import MeshDiagnostics
import MeshPlan
import MeshPlanner

/// The forms `meshc plan` prints.
public enum PlanFormat: String, CaseIterable, Sendable {
  case text, dot, mermaid, json
}

extension MeshDriver {
  /// `meshc plan [PRODUCT|PATH…]`: the compiled plan of the products named (by id, as in
  /// `sales.orders`) or found under the paths, in `format`; the whole mesh by default.
  /// Every check of `validate` runs first: the plan is printed (as the report's summary)
  /// only when there are no errors.
  public static func plan(targets: [String], format: PlanFormat, currentDirectory: URL? = nil) -> Report {
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let manager = FileManager.default
    let isPath = { (target: String) in
      target.contains("/")
        || manager.fileExists(atPath: MeshLoader.absoluteURLs([target], currentDirectory: cwd)[0].path)
    }
    let paths = targets.filter(isPath)
    let ids = targets.filter { !isPath($0) }
    let (mesh, missing) = MeshLoader.load(paths: paths.isEmpty ? ["."] : paths, currentDirectory: cwd)
    var diagnostics = mesh.diagnostics
    var plans = mesh.resolved.plans
    if !ids.isEmpty {
      let known = plans.map(\.product)
      for id in ids where !known.contains(id) {
        diagnostics.error(
          .productNotFound, "no product '\(id)' in the mesh", at: nil,
          help: Suggestion.didYouMean(id, among: known) ?? "products are named domain.name, as in sales.orders")
      }
      plans = plans.filter { ids.contains($0.product) }
    }
    var report = Report(
      diagnostics: diagnostics, sources: mesh.sources,
      usageFailure: !missing.isEmpty || diagnostics.all.contains { $0.code == .productNotFound })
    guard !report.diagnostics.hasErrors else { return report }
    report.summary =
      switch format {
      case .text: PlanTextPrinter.text(plans)
      case .dot: PlanGraphPrinter.text(plans, style: .dot)
      case .mermaid: PlanGraphPrinter.text(plans, style: .mermaid)
      case .json: PlanJSONPrinter.text(plans)
      }
    return report
  }
}
