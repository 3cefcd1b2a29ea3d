import MeshManifest

/// Durations as people type them: a whole number and a unit (`500ms`, `30s`, `15m`,
/// `12h`, `7d`, `2w`), several in a row (`1h30m`), or `infinite` where that is allowed.
public enum DurationText {
  /// Milliseconds; nil for `infinite`. Throws a message for anything else.
  public static func parse(_ text: String, allowInfinite: Bool = true) -> Result<Int64?, ParseProblem> {
    let trimmed = text.lowercased()
    if trimmed == "infinite" || trimmed == "-1" {
      return allowInfinite ? .success(nil) : .failure(ParseProblem("expected a finite duration"))
    }
    let expected =
      "expected a number followed by ms, s, m, h, d or w (as in '7d' or '1h30m')"
      + (allowInfinite ? ", or 'infinite'" : "")
    // The manifest language's grammar, so a retention reads the same on the command line.
    guard let span = TimeSpan.parse(trimmed) else { return .failure(ParseProblem(expected)) }
    guard span.milliseconds > 0 else { return .failure(ParseProblem("expected a duration greater than zero")) }
    return .success(span.milliseconds)
  }

  /// An exact spelling in days and smaller units: `7d`, `1h30m`, `infinite` for nil.
  public static func format(_ milliseconds: Int64?) -> String {
    guard let milliseconds else { return "infinite" }
    if milliseconds <= 0 { return "\(milliseconds)ms" }
    return TimeSpan(milliseconds: milliseconds).description
  }
}

/// Why a piece of text did not parse.
public struct ParseProblem: Error, Hashable, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
}
