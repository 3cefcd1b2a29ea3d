/// A length of time written in a manifest (`500ms`, `30s`, `5m`, `1h30m`, `7d`). Not
/// `Swift.Duration`: manifests need only whole milliseconds and a stable text form.
public struct TimeSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var milliseconds: Int64

  public init(milliseconds: Int64) { self.milliseconds = milliseconds }

  public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }

  static let units: [(suffix: String, milliseconds: Int64)] = [
    ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
  ]

  /// Parses one or more `<integer><unit>` groups, largest unit first (`1h30m`); nil when
  /// the text is not of that form.
  public static func parse(_ text: String) -> TimeSpan? {
    var total: Int64 = 0
    var rest = Substring(text)
    guard !rest.isEmpty else { return nil }
    var previousUnit = Int64.max
    while !rest.isEmpty {
      let digits = rest.prefix { $0.isASCII && $0.isNumber }
      guard !digits.isEmpty, let amount = Int64(digits) else { return nil }
      rest = rest.dropFirst(digits.count)
      let suffix = rest.prefix { $0.isASCII && $0.isLetter }
      guard let unit = units.first(where: { $0.suffix == suffix }), unit.milliseconds < previousUnit else {
        return nil
      }
      rest = rest.dropFirst(suffix.count)
      let (product, overflow) = amount.multipliedReportingOverflow(by: unit.milliseconds)
      guard !overflow else { return nil }
      total += product
      previousUnit = unit.milliseconds
    }
    return TimeSpan(milliseconds: total)
  }

  public var description: String {
    guard milliseconds > 0 else { return "0s" }
    var rest = milliseconds
    var text = ""
    for unit in TimeSpan.units.reversed() where unit.suffix != "w" {
      let amount = rest / unit.milliseconds
      if amount > 0 {
        text += "\(amount)\(unit.suffix)"
        rest -= amount * unit.milliseconds
      }
    }
    return text
  }
}
