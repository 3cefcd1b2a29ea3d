import MeshData
import MeshDiagnostics
import MeshManifest
import MeshPlan

/// The transforms: each one's schema and lineage from the steps it reads.
extension ProductPlanner {
  mutating func transformStep(_ transform: Transform) -> PlanStep? {
    let name = transform.name.value
    var inputs: [PlanStep] = []
    for upstream in transform.upstream {
      guard let step = step(upstream.value) else { return nil }
      inputs.append(step)
    }
    switch transform.operation {
    case .filter(let text):
      guard let input = inputs.first,
        let condition = ExpressionChecker.check(
          text, against: input.schema, as: .filter, source: "'\(input.name)'", into: &diagnostics)
      else { return nil }
      return passThrough(name, .filter(condition), from: input)
    case .select(let columns):
      guard let input = inputs.first else { return nil }
      return select(name, columns, from: input)
    case .dedupe(let dedupe):
      guard let input = inputs.first else { return nil }
      let key = dedupe.key.map { column($0, in: input, purpose: "the dedupe key") }
      var within: Int64?
      if let span = dedupe.within {
        guard requireEventTime(input, for: "deduplicating within \(span.value)", at: span.range) else { return nil }
        within = span.value.milliseconds
      }
      guard key.allSatisfy({ $0 != nil }) else { return nil }
      return passThrough(name, .dedupe(key: key.compactMap { $0 }, withinMilliseconds: within), from: input)
    case .aggregate(let aggregate):
      guard let input = inputs.first else { return nil }
      return self.aggregate(name, aggregate, from: input)
    case .join(let join):
      guard inputs.count == 2 else { return nil }
      return self.join(name, join, left: inputs[0], right: inputs[1])
    case .union(let sources):
      return union(name, sources, inputs)
    }
  }

  private func passThrough(_ name: String, _ operation: StepOperation, from input: PlanStep) -> PlanStep {
    PlanStep(
      name: name, operation: operation, inputs: [input.name], schema: input.schema,
      lineage: input.schema.fields.map { ColumnLineage(sources: [ColumnSource(step: input.name, column: $0.name)]) },
      hasEventTime: input.hasEventTime)
  }

  private mutating func select(_ name: String, _ columns: [SelectColumn], from input: PlanStep) -> PlanStep? {
    var fields: [DataField] = []
    var expressions: [BoundExpression] = []
    var lineage: [ColumnLineage] = []
    var failed = false
    for column in columns {
      guard
        let bound = ExpressionChecker.check(
          column.expression, against: input.schema, as: .derived, source: "'\(input.name)'", into: &diagnostics)
      else {
        failed = true
        continue
      }
      let columnLineage = Self.lineage(of: bound, from: input)
      let readsPII = bound.fields.contains { reference in
        reference.path.first.map { input.schema.fields[$0].pii } ?? false
      }
      fields.append(
        DataField(
          name: column.name.value, type: bound.type.type, nullable: bound.type.nullable,
          pii: readsPII && !columnLineage.isMasked))
      expressions.append(bound)
      lineage.append(columnLineage)
    }
    if failed { return nil }
    return PlanStep(
      name: name, operation: .select(expressions), inputs: [input.name],
      schema: RecordSchema(name: name, fields: fields), lineage: lineage, hasEventTime: input.hasEventTime)
  }

  static func lineage(of expression: BoundExpression, from input: PlanStep) -> ColumnLineage {
    ColumnLineage(
      sources: expression.fields.map { ColumnSource(step: input.name, column: $0.description) },
      functions: expression.functions)
  }

  private mutating func requireEventTime(_ input: PlanStep, for purpose: String, at range: SourceRange) -> Bool {
    if input.hasEventTime { return true }
    diagnostics.error(
      .noEventTime, "\(purpose) needs an event time, but the records of '\(input.name)' have none", at: range,
      help: "give the file input an 'eventTime:' field; outputs must not depend on when meshc reads the files")
    return false
  }

  private mutating func aggregate(_ name: String, _ aggregate: Aggregate, from input: PlanStep) -> PlanStep? {
    let keys = aggregate.groupBy.map { column($0, in: input, purpose: "groupBy") }
    var window: WindowPlan?
    if let spec = aggregate.window {
      guard requireEventTime(input, for: "a window", at: spec.range) else { return nil }
      let kind: WindowPlan.Kind =
        switch spec.kind {
        case .tumbling(let size): .tumbling(sizeMilliseconds: size.value.milliseconds)
        case .hopping(let size, let advance):
          .hopping(sizeMilliseconds: size.value.milliseconds, advanceMilliseconds: advance.value.milliseconds)
        case .session(let gap): .session(gapMilliseconds: gap.value.milliseconds)
        }
      let late: WindowPlan.LatePolicy =
        switch spec.late?.value {
        case .deadLetter: .deadLetter
        case .update: .update
        case .drop, nil: .drop
        }
      window = WindowPlan(
        kind: kind, allowedLatenessMilliseconds: spec.allowedLateness?.value.milliseconds ?? 0, late: late)
    }
    let grouped = Set(aggregate.groupBy.map(\.value))
    var measures: [BoundExpression] = []
    var failed = !keys.allSatisfy { $0 != nil }
    for measure in aggregate.measures {
      if let bound = ExpressionChecker.check(
        measure.expression, against: input.schema, as: .measure(groupedFields: grouped), source: "'\(input.name)'",
        into: &diagnostics)
      {
        measures.append(bound)
      } else {
        failed = true
      }
    }
    if failed { return nil }
    let groupBy = keys.compactMap { $0 }
    var fields = groupBy.map { input.schema.fields[$0.path[0]] }
    var lineage = groupBy.map { ColumnLineage(sources: [ColumnSource(step: input.name, column: $0.description)]) }
    if window != nil {
      let bound = DataType.timestamp(.millis, utc: true)
      fields += [DataField(name: "window_start", type: bound, nullable: false)]
      fields += [DataField(name: "window_end", type: bound, nullable: false)]
      lineage += [ColumnLineage(sources: [], functions: ["window"]), ColumnLineage(sources: [], functions: ["window"])]
    }
    for (measure, bound) in zip(aggregate.measures, measures) {
      fields.append(DataField(name: measure.name.value, type: bound.type.type, nullable: bound.type.nullable))
      lineage.append(Self.lineage(of: bound, from: input))
    }
    return PlanStep(
      name: name, operation: .aggregate(AggregatePlan(groupBy: groupBy, window: window, measures: measures)),
      inputs: [input.name], schema: RecordSchema(name: name, fields: fields), lineage: lineage,
      hasEventTime: input.hasEventTime)
  }

  /// The joined record: the left side's fields, then the right side's (but the join
  /// keys, which appear once), each named with `rightPrefix` before it; a name both sides
  /// have keeps the left's field, or takes the right's with `clash: right`.
  private mutating func join(_ name: String, _ join: Join, left: PlanStep, right: PlanStep) -> PlanStep? {
    var keys: [(left: FieldReference, right: FieldReference)] = []
    for key in join.on {
      let leftKey = left.schema.index(of: key.value)
      let rightKey = right.schema.index(of: key.value)
      guard let leftKey, let rightKey else {
        let side = leftKey == nil ? left : right
        diagnostics.error(
          .joinKey, "join key '\(key.value)' is not a field of '\(side.name)'", at: key.range,
          help: Suggestion.didYouMean(key.value, among: side.schema.fields.map(\.name)))
        return nil
      }
      let leftType = left.schema.fields[leftKey].type
      let rightType = right.schema.fields[rightKey].type
      guard let common = TypeRules.common(leftType, rightType), TypeRules.isOrdered(common) else {
        diagnostics.error(
          .joinKey,
          "join key '\(key.value)' is a \(leftType) in '\(left.name)' but a \(rightType) in '\(right.name)'",
          at: key.range, help: "convert one side in a select step before the join")
        return nil
      }
      keys.append(
        (FieldReference(path: [leftKey], names: [key.value]), FieldReference(path: [rightKey], names: [key.value])))
    }
    var fields: [DataField] = []
    var columns: [(side: JoinSide, index: Int)] = []
    var lineage: [ColumnLineage] = []
    // A side whose records may come without a match from the other gets the other's
    // fields nullable.
    let type = join.type.map { JoinPlan.JoinType(rawValue: $0.value.rawValue) ?? .inner } ?? .inner
    for (index, field) in left.schema.fields.enumerated() {
      var field = field
      if type == .full { field.nullable = true }
      fields.append(field)
      columns.append((.left, index))
      lineage.append(ColumnLineage(sources: [ColumnSource(step: left.name, column: field.name)]))
    }
    let keyNames = Set(join.on.map(\.value))
    let rightWins = join.clash?.value == .right
    for (index, field) in right.schema.fields.enumerated() {
      var field = field
      if type != .inner { field.nullable = true }
      if keyNames.contains(field.name) { continue }
      field.name = (join.rightPrefix?.value ?? "") + field.name
      if let shared = fields.firstIndex(where: { $0.name == field.name }) {
        // A name both sides have: the left's field stays unless the right is to win.
        guard rightWins else { continue }
        fields[shared] = field
        columns[shared] = (.right, index)
        lineage[shared] = ColumnLineage(sources: [
          ColumnSource(step: right.name, column: right.schema.fields[index].name)
        ])
        continue
      }
      fields.append(field)
      columns.append((.right, index))
      lineage.append(ColumnLineage(sources: [ColumnSource(step: right.name, column: field.name)]))
    }
    let kind = JoinPlan.Kind(rawValue: join.kind.value.rawValue) ?? .streamTable
    var plan = JoinPlan(
      kind: kind, type: type, keys: keys, withinMilliseconds: join.within?.value.milliseconds,
      allowedLatenessMilliseconds: join.allowedLateness?.value.milliseconds ?? 0, columns: columns)
    plan.boundsMilliseconds = join.between.map { ($0.value.lower, $0.value.upper) }
    return PlanStep(
      name: name,
      operation: .join(plan),
      inputs: [left.name, right.name], schema: RecordSchema(name: name, fields: fields), lineage: lineage,
      hasEventTime: left.hasEventTime)
  }

  /// A union's inputs must have the same fields; their types widen to a common one.
  private mutating func union(_ name: String, _ sources: [Located<String>], _ inputs: [PlanStep]) -> PlanStep? {
    guard let first = inputs.first else { return nil }
    var fields = first.schema.fields
    for (source, input) in zip(sources, inputs).dropFirst() {
      let names = input.schema.fields.map(\.name)
      guard names == fields.map(\.name) else {
        diagnostics.error(
          .unionMismatch,
          "'\(input.name)' has fields \(ExpressionChecker.list(names)), but '\(first.name)' has \(ExpressionChecker.list(fields.map(\.name)))",
          at: source.range, help: "select the same fields, in the same order, from every input of a union")
        return nil
      }
      for (index, field) in input.schema.fields.enumerated() {
        guard let common = TypeRules.common(fields[index].type, field.type) else {
          diagnostics.error(
            .unionMismatch,
            "field '\(field.name)' is a \(field.type) in '\(input.name)' but a \(fields[index].type) in '\(first.name)'",
            at: source.range)
          return nil
        }
        fields[index].type = common
        fields[index].nullable = fields[index].nullable || field.nullable
        fields[index].pii = fields[index].pii || field.pii
      }
    }
    let lineage = fields.map { field in
      ColumnLineage(sources: inputs.map { ColumnSource(step: $0.name, column: field.name) })
    }
    return PlanStep(
      name: name, operation: .union, inputs: inputs.map(\.name), schema: RecordSchema(name: name, fields: fields),
      lineage: lineage, hasEventTime: inputs.allSatisfy(\.hasEventTime))
  }
}
