import MeshData

/// What the printers say about a step: its kind and a one-line account of what it does.
enum StepSummary {
  static func kind(_ operation: StepOperation) -> String {
    switch operation {
    case .files: "files"
    case .port: "port"
    case .filter: "filter"
    case .select: "select"
    case .dedupe: "dedupe"
    case .aggregate: "aggregate"
    case .join: "join"
    case .union: "union"
    }
  }

  static func detail(_ step: PlanStep) -> String {
    switch step.operation {
    case .files(let format, let path, let eventTime):
      "\(format) \(path)" + (eventTime.map { ", event time \($0)" } ?? "")
    case .port(_, _, let topic): "topic \(topic)"
    case .filter(let condition): condition.description
    case .select(let expressions):
      zip(step.schema.fields, expressions).map { field, expression in
        if case .field(let reference, _) = expression, reference.description == field.name { return field.name }
        return "\(field.name) = \(expression)"
      }.joined(separator: ", ")
    case .dedupe(let key, let within):
      "key \(key.map(\.description).joined(separator: ", "))" + (within.map { " within \(duration($0))" } ?? "")
    case .aggregate(let plan):
      "group by \(plan.groupBy.map(\.description).joined(separator: ", "))"
        + (plan.window.map { ", \(window($0))" } ?? ", unwindowed (a table)")
    case .join(let plan):
      (plan.type == .inner ? "" : "\(plan.type.rawValue) ") + "\(plan.kind.rawValue) on "
        + plan.keys.map(\.left.description).joined(separator: ", ")
        + (plan.withinMilliseconds.map { " within \(duration($0))" } ?? "")
    case .union: step.inputs.joined(separator: ", ")
    }
  }

  static func window(_ window: WindowPlan) -> String {
    let kind =
      switch window.kind {
      case .tumbling(let size): "tumbling \(duration(size))"
      case .hopping(let size, let advance): "hopping \(duration(size)) every \(duration(advance))"
      case .session(let gap): "session gap \(duration(gap))"
      }
    return window.allowedLatenessMilliseconds > 0
      ? "\(kind), lateness \(duration(window.allowedLatenessMilliseconds))" : kind
  }

  /// `1d`, `90m`, `1500ms`: the largest unit that divides the span.
  static func duration(_ milliseconds: Int64) -> String {
    for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
    where milliseconds != 0 && milliseconds % size == 0 {
      return "\(milliseconds / size)\(unit)"
    }
    return "\(milliseconds)ms"
  }

  /// `{order_id: string, channel: null?}`.
  static func schema(_ schema: RecordSchema) -> String {
    "{" + schema.fields.map(field).joined(separator: ", ") + "}"
  }

  static func field(_ field: DataField) -> String {
    "\(field.name): \(field.type)\(field.nullable ? "?" : "")\(field.pii ? " pii" : "")"
  }
}
