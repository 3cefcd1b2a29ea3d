public import MeshPlan

/// Lowers a logical plan to the physical plan the runtime runs: one operator per step
/// and port, a hash partitioning before every keyed operator, a state store for every
/// operator that remembers, and sources and sinks in the checkpoints.
public enum Lowering {
  public static func lower(_ plan: ProductPlan) -> PhysicalPlan {
    var operators: [PhysicalOperator] = []
    var stores: [StateStore] = []
    for step in plan.steps {
      let name = step.name
      switch step.operation {
      case .files:
        operators.append(PhysicalOperator(name: name, kind: .fileSource, inputs: [], checkpointed: true))
      case .port:
        operators.append(PhysicalOperator(name: name, kind: .topicSource, inputs: [], checkpointed: true))
      case .filter:
        operators.append(PhysicalOperator(name: name, kind: .filter, inputs: step.inputs))
      case .select:
        operators.append(PhysicalOperator(name: name, kind: .project, inputs: step.inputs))
      case .union:
        operators.append(PhysicalOperator(name: name, kind: .union, inputs: step.inputs))
      case .dedupe(let key, let within):
        let names = key.map(\.description)
        stores.append(StateStore(name: "\(name).seen", kind: .seenKeys, key: names, retentionMilliseconds: within))
        operators.append(
          PhysicalOperator(name: name, kind: .dedupe, inputs: step.inputs, partitionBy: names, state: "\(name).seen"))
      case .aggregate(let aggregate):
        let names = aggregate.groupBy.map(\.description)
        if let window = aggregate.window {
          stores.append(
            StateStore(
              name: "\(name).windows", kind: .windows, key: names + ["window_start"],
              retentionMilliseconds: span(window.kind) + window.allowedLatenessMilliseconds))
          operators.append(
            PhysicalOperator(
              name: name, kind: .windowAggregate, inputs: step.inputs, partitionBy: names, state: "\(name).windows"))
        } else {
          stores.append(StateStore(name: "\(name).table", kind: .aggregates, key: names, retentionMilliseconds: nil))
          operators.append(
            PhysicalOperator(
              name: name, kind: .tableAggregate, inputs: step.inputs, partitionBy: names, state: "\(name).table"))
        }
      case .join(let join):
        let keys = join.keys.map(\.left.description)
        let (kind, store): (PhysicalOperator.Kind, StateStore) =
          switch join.kind {
          case .streamTable:
            (
              .streamTableJoin,
              StateStore(name: "\(name).table", kind: .versionedTable, key: keys, retentionMilliseconds: nil)
            )
          case .tableTable:
            (
              .tableTableJoin,
              StateStore(name: "\(name).tables", kind: .versionedTable, key: keys, retentionMilliseconds: nil)
            )
          case .streamStream:
            (
              .windowJoin,
              StateStore(
                name: "\(name).buffers", kind: .joinBuffers, key: keys, retentionMilliseconds: join.withinMilliseconds)
            )
          }
        stores.append(store)
        operators.append(
          PhysicalOperator(name: name, kind: kind, inputs: step.inputs, partitionBy: keys, state: store.name))
      }
    }
    for check in plan.checks {
      operators.append(PhysicalOperator(name: "check \(check.name)", kind: .qualityCheck, inputs: [check.step]))
    }
    for output in plan.outputs {
      let kind: PhysicalOperator.Kind =
        switch output.kind {
        case "stream": .topicSink
        case "batch": .fileSink
        default: .apiSink
        }
      operators.append(
        PhysicalOperator(
          name: "port \(output.name)", kind: kind, inputs: [output.step], partitionBy: output.key.map(\.description),
          checkpointed: kind != .apiSink))
    }
    return PhysicalPlan(product: plan.product, operators: operators, stateStores: stores)
  }

  private static func span(_ kind: WindowPlan.Kind) -> Int64 {
    switch kind {
    case .tumbling(let size): size
    case .hopping(let size, _): size
    case .session(let gap): gap
    }
  }
}
