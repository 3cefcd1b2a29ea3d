/// The scalar functions of the expression language; docs/expressions.md lists their
/// types. None reads a clock: outputs must be reproducible.
public enum ScalarFunction: String, CaseIterable, Hashable, Sendable {
  // strings
  case length, lower, upper, trim, ltrim, rtrim, substr, concat, replace
  case startsWith = "starts_with", endsWith = "ends_with", contains, left, right
  // numbers
  case abs, round, floor, ceil, sqrt, power, ln, exp, least, greatest
  // time, in UTC
  case dateTrunc = "date_trunc", datePart = "date_part", year, month, day, hour, minute, second
  case date
  // nulls
  case coalesce, nullif
  // PII
  case sha256, hmac, mask, redact

  /// Functions whose result no longer reveals a PII input.
  public var masks: Bool { [.sha256, .hmac, .mask, .redact].contains(self) }
}

public enum AggregateFunction: String, CaseIterable, Hashable, Sendable {
  case count, sum, min, max, avg
  case countDistinct = "count_distinct"
  case first, last
}

/// Names users reach for that would make outputs depend on when they run.
public let wallClockFunctions: Set<String> = [
  "now", "current_timestamp", "current_date", "current_time", "localtimestamp", "today", "random", "uuid",
  "gen_random_uuid",
]
