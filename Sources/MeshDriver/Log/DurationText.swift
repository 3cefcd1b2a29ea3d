/// Durations as people type them: a whole number and a unit (`500ms`, `30s`, `15m`,
/// `12h`, `7d`, `2w`), several in a row (`1h30m`), or `infinite` where that is allowed.
public enum DurationText {
  public static let units: [(String, Int64)] = [
    ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
  ]

  /// Milliseconds; nil for `infinite`. Throws a message for anything else.
  public static func parse(_ text: String, allowInfinite: Bool = true) -> Result<Int64?, ParseProblem> {
    let trimmed = text.lowercased()
    if trimmed == "infinite" || trimmed == "-1" {
      return allowInfinite ? .success(nil) : .failure(ParseProblem("expected a finite duration"))
    }
    let expected =
      "expected a number followed by ms, s, m, h, d or w (as in '7d' or '1h30m')"
      + (allowInfinite ? ", or 'infinite'" : "")
    var total: Int64 = 0
    var rest = Substring(trimmed)
    guard !rest.isEmpty else { return .failure(ParseProblem(expected)) }
    while !rest.isEmpty {
      let digits = rest.prefix { $0.isASCII && $0.isNumber }
      guard !digits.isEmpty, let number = Int64(digits) else { return .failure(ParseProblem(expected)) }
      rest = rest.dropFirst(digits.count)
      let unitText = rest.prefix { $0.isLetter }
      guard let unit = units.first(where: { $0.0 == unitText }) else { return .failure(ParseProblem(expected)) }
      rest = rest.dropFirst(unitText.count)
      let (product, overflow) = number.multipliedReportingOverflow(by: unit.1)
      guard !overflow, total <= Int64.max - product else { return .failure(ParseProblem("the duration is too long")) }
      total += product
    }
    guard total > 0 else { return .failure(ParseProblem("expected a duration greater than zero")) }
    return .success(total)
  }

  /// An exact spelling in days and smaller units: `7d`, `1h30m`, `infinite` for nil.
  public static func format(_ milliseconds: Int64?) -> String {
    guard let milliseconds else { return "infinite" }
    if milliseconds <= 0 { return "\(milliseconds)ms" }
    var rest = milliseconds
    var out = ""
    for (name, size) in units.reversed() where name != "w" && rest >= size {
      out += "\(rest / size)\(name)"
      rest %= size
    }
    return out
  }
}

/// Why a piece of text did not parse.
public struct ParseProblem: Error, Hashable, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
}
