import MeshBytes
import MeshData
import MeshPlan

/// The constants of the language as values: integers fit Int64, decimals fit 18 digits,
/// times go through the one event-time grammar (EventTime) and durations through the one
/// duration grammar (TimeSpan). A failure is a message for E0608.
enum LiteralValues {
  struct Invalid: Error {
    var message: String
    var help: String?
  }

  /// An integer literal is an int when it fits, else a long.
  static func integer(_ text: String) -> Result<BoundExpression, Invalid> {
    guard let value = Int64(text) else {
      return .failure(
        Invalid(message: "\(text) does not fit a 64-bit integer", help: "write it as a decimal: \(text).0"))
    }
    let type: DataType = Int32(exactly: value) == nil ? .int64 : .int32
    return .success(.literal(.integer(value), ValueType(type)))
  }

  static func decimal(_ text: String) -> Result<BoundExpression, Invalid> {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let whole = parts.first.map(String.init) ?? ""
    let fraction = parts.count > 1 ? String(parts[1]) : ""
    var digits = (whole + fraction).drop { $0 == "0" }
    if digits.isEmpty { digits = "0" }
    guard digits.count <= TypeRules.maxDecimalPrecision, let unscaled = Int64(whole + fraction) else {
      return .failure(
        Invalid(
          message: "\(text) has more than \(TypeRules.maxDecimalPrecision) digits",
          help: "decimals hold up to 18 digits; use fewer"))
    }
    let precision = max(digits.count, fraction.count)
    return .success(
      .literal(
        .decimal(unscaled: unscaled, scale: fraction.count),
        ValueType(.decimal(precision: max(1, precision), scale: fraction.count))))
  }

  static func string(_ text: String) -> BoundExpression { .literal(.string(text), .string) }

  static func typed(_ kind: ExpressionSyntax.TypedLiteralKind, _ text: String) -> Result<BoundExpression, Invalid> {
    switch kind {
    case .timestamp: timestamp(text)
    case .date: date(text)
    case .interval: interval(text)
    }
  }

  /// A timestamp in microseconds, UTC.
  static func timestamp(_ text: String) -> Result<BoundExpression, Invalid> {
    switch EventTime.parse(text) {
    case .success(let time):
      let (micros, overflow) = time.millisecondsSinceEpoch.multipliedReportingOverflow(by: 1000)
      guard !overflow else { return .failure(Invalid(message: "'\(text)' is out of range")) }
      return .success(.literal(.timestamp(micros, .micros), ValueType(.timestamp(.micros, utc: true))))
    case .failure(let error):
      return .failure(Invalid(message: "'\(text)' is not a timestamp: \(error.message)", help: error.help))
    }
  }

  static func date(_ text: String) -> Result<BoundExpression, Invalid> {
    let shape = "expected a date as in '2026-11-24'"
    guard text.utf8.count == 10, case .success(let time) = EventTime.parse(text) else {
      return .failure(Invalid(message: "'\(text)' is not a date: \(shape)"))
    }
    let days = time.millisecondsSinceEpoch / 86_400_000
    guard let day = Int32(exactly: days) else { return .failure(Invalid(message: "'\(text)' is out of range")) }
    return .success(.literal(.date(days: day), ValueType(.date)))
  }

  static func interval(_ text: String) -> Result<BoundExpression, Invalid> {
    switch TimeSpan.parse(text) {
    case .success(let span):
      let (micros, overflow) = span.milliseconds.multipliedReportingOverflow(by: 1000)
      guard !overflow else { return .failure(Invalid(message: "'\(text)' is out of range")) }
      return .success(.literal(.duration(micros: micros), ValueType(.duration)))
    case .failure(let error):
      return .failure(Invalid(message: "'\(text)' is not a duration: \(error.message)", help: error.help))
    }
  }
}
