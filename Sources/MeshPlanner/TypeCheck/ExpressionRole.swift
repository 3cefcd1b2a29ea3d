/// Where an expression stands in a manifest, which decides what it may contain and the
/// type it must have.
enum ExpressionRole: Sendable {
  /// `filter:`: a condition, no aggregates.
  case filter
  /// A `select:` column or a join condition: any value, no aggregates.
  case derived
  /// An aggregate's `measures:` entry: aggregates over the group, and the grouped fields.
  case measure(groupedFields: Set<String>)
  /// A `quality:` check: a condition on each record of the port.
  case check

  var mustBeBoolean: Bool {
    switch self {
    case .filter, .check: true
    case .derived, .measure: false
    }
  }

  var allowsAggregates: Bool {
    if case .measure = self { return true }
    return false
  }

  var noun: String {
    switch self {
    case .filter: "a filter"
    case .derived: "a select column"
    case .measure: "a measure"
    case .check: "a quality check"
    }
  }
}
