import MeshPlan

/// The fields of an input that the product reads: what its filters, selects, dedupe keys,
/// windows and quality rules name, through the steps that pass records on unchanged. A
/// port that publishes the input's records as they are needs them all (nil). The reader
/// leaves the other columns unparsed.
enum InputProjection {
  static func usedFields(of input: String, in plan: ProductPlan, eventTime: String?) -> Set<Int>? {
    guard let step = plan.step(named: input) else { return nil }
    var used = Set<Int>()
    if let eventTime, let index = step.schema.index(of: eventTime) { used.insert(index) }
    var pending = [input]
    var seen = Set<String>()
    while let name = pending.popLast() {
      guard seen.insert(name).inserted else { continue }
      if plan.outputs.contains(where: { $0.step == name }) { return nil }
      for check in plan.checks where check.step == name { used.formUnion(indices(check.condition.fields)) }
      for consumer in plan.steps where consumer.inputs.contains(name) {
        switch consumer.operation {
        case .filter(let condition):
          used.formUnion(indices(condition.fields))
          pending.append(consumer.name)
        case .dedupe(let key, _):
          used.formUnion(indices(key))
          pending.append(consumer.name)
        case .select(let expressions):
          for expression in expressions { used.formUnion(indices(expression.fields)) }
        case .aggregate(let aggregate):
          used.formUnion(indices(aggregate.groupBy))
          for measure in aggregate.measures { used.formUnion(indices(measure.fields)) }
        case .files, .port, .join, .union:
          return nil
        }
      }
    }
    return used
  }

  private static func indices(_ references: [FieldReference]) -> Set<Int> {
    Set(references.compactMap { $0.path.first })
  }
}
