import MeshPlan

extension ProductRunner {
  /// The steps reading a table — a table-table join or an aggregate without a window —
  /// read its changelog: filters there turn the rows they reject into deletions, and only
  /// steps that hand deletions on may read it — an aggregate or dedupe over a changelog,
  /// or a batch port's files of it, would count or keep rows that have since been
  /// replaced or retracted — and a stream port of it needs a key, which its tombstones
  /// and upserts name. `origin` names the table in messages.
  func followChangelog(from step: PlanStep, of origin: String) throws(RunFailure) {
    if let port = spec.streams.first(where: { $0.step == step.name && $0.key.isEmpty }) {
      throw RunFailure(
        "stream port \(port.port) publishes \(step.name), the changelog of \(origin), without a key: its rows "
          + "could not replace or retract the ones before")
    }
    if let port = spec.batches.first(where: { $0.step == step.name }) {
      throw RunFailure(
        "batch port \(port.port) publishes \(step.name), the changelog of \(origin), which only a stream port (a "
          + "compacted topic) can hold yet")
    }
    for reader in spec.plan.steps where reader.inputs.contains(step.name) {
      switch reader.operation {
      case .filter:
        tableSteps.insert(reader.name)
        try followChangelog(from: reader, of: origin)
      case .select, .union: try followChangelog(from: reader, of: origin)
      case .join: continue
      default:
        throw RunFailure(
          "step \(reader.name) reads \(step.name), the changelog of \(origin); only filters, selects, unions and "
            + "joins may read one yet")
      }
    }
  }
}
