/// The plan as text: per product, each step with what it reads, what it does and the
/// schema of what it emits; then the ports and the quality checks.
public enum PlanTextPrinter {
  public static func text(_ plans: [ProductPlan]) -> String {
    plans.map(product).joined(separator: "\n")
  }

  static func product(_ plan: ProductPlan) -> String {
    var lines = ["product \(plan.product)"]
    for step in plan.steps {
      let reads = step.inputs.isEmpty ? "" : " ← \(step.inputs.joined(separator: ", "))"
      lines.append("  \(step.name): \(StepSummary.kind(step.operation))\(reads)")
      lines.append("    \(StepSummary.detail(step))")
      lines.append("    → \(StepSummary.schema(step.schema))")
    }
    for output in plan.outputs {
      var line = "  port \(output.name): \(output.kind) ← \(output.step)"
      if let topic = output.topic { line += ", topic \(topic)" }
      if !output.key.isEmpty { line += ", key \(output.key.map(\.description).joined(separator: ", "))" }
      if let partitioning = output.partitionBy { line += ", partitioned by \(partitioning.description)" }
      if output.contract != nil { line += ", contract checked" }
      lines.append(line)
    }
    for check in plan.checks {
      lines.append("  check \(check.name) on \(check.step): \(check.condition) (on fail: \(check.onFail))")
    }
    if let physical = plan.physical { lines += self.physical(physical) }
    return lines.joined(separator: "\n") + "\n"
  }

  static func physical(_ plan: PhysicalPlan) -> [String] {
    var lines = ["  physical:"]
    for op in plan.operators {
      var line = "    \(op.name): \(op.kind.rawValue)"
      if !op.inputs.isEmpty { line += " ← \(op.inputs.joined(separator: ", "))" }
      if !op.partitionBy.isEmpty { line += ", partitioned by \(op.partitionBy.joined(separator: ", "))" }
      if let state = op.state { line += ", state \(state)" }
      if op.checkpointed { line += ", checkpointed" }
      lines.append(line)
    }
    for store in plan.stateStores {
      let retention =
        store.retentionMilliseconds.map { "entries live \(StepSummary.duration($0)) of event time" } ?? "kept for ever"
      lines.append(
        "    state \(store.name): \(store.kind.rawValue) by \(store.key.joined(separator: ", ")), \(retention)")
    }
    return lines
  }
}
