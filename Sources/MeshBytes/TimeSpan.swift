/// A length of time as manifests and the command line write it (`500ms`, `30s`, `5m`,
/// `1h30m`, `7d`, `2w`), in whole milliseconds. Not `Swift.Duration`: meshc needs only
/// milliseconds (event times and log timestamps are milliseconds) and a stable text form.
public struct TimeSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var milliseconds: Int64

  public init(milliseconds: Int64) { self.milliseconds = milliseconds }

  public static func seconds(_ count: Int64) -> TimeSpan { TimeSpan(milliseconds: count * 1000) }
  public static func days(_ count: Int64) -> TimeSpan { TimeSpan(milliseconds: count * 86_400_000) }

  public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }

  static let units: [(suffix: String, milliseconds: Int64)] = [
    ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
  ]

  public static let example = "write a duration such as 500ms, 30s, 5m, 1h, 7d or 1h30m"

  /// The one duration grammar: one or more `<digits><unit>` groups, largest unit first
  /// and each unit once (`1h30m`, not `30m1h`), units in lowercase. Zero is allowed here
  /// (`allowedLateness: 0s`); callers that need a positive span check it. Never traps:
  /// a span beyond Int64 milliseconds (292 million years) is an error.
  public static func parse(_ text: String) -> Result<TimeSpan, QuantitySyntaxError> {
    let utf8 = Array(text.utf8)
    let malformed = QuantitySyntaxError("expected a whole number and a unit (ms, s, m, h, d or w)", help: example)
    guard !utf8.isEmpty else { return .failure(malformed) }
    var total: Int64 = 0
    var index = 0
    var previousUnit = Int64.max
    while index < utf8.count {
      var amount: Int64 = 0
      let digitsStart = index
      while index < utf8.count, utf8[index] >= UInt8(ascii: "0"), utf8[index] <= UInt8(ascii: "9") {
        let (tens, overflow) = amount.multipliedReportingOverflow(by: 10)
        let (sum, carry) = tens.addingReportingOverflow(Int64(utf8[index] - UInt8(ascii: "0")))
        guard !overflow, !carry else { return .failure(tooLong) }
        amount = sum
        index += 1
      }
      guard index > digitsStart else { return .failure(malformed) }
      let suffixStart = index
      while index < utf8.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(utf8[index] | 0x20) { index += 1 }
      let suffix = String(decoding: utf8[suffixStart..<index], as: UTF8.self)
      guard let unit = units.first(where: { $0.suffix == suffix }) else {
        if units.contains(where: { $0.suffix == suffix.lowercased() }) {
          return .failure(QuantitySyntaxError("units are lowercase", help: "write '\(text.lowercased())'"))
        }
        return .failure(malformed)
      }
      guard unit.milliseconds < previousUnit else {
        return .failure(QuantitySyntaxError("units must come largest first, each once", help: "as in '1h30m'"))
      }
      let (product, overflow) = amount.multipliedReportingOverflow(by: unit.milliseconds)
      let (sum, carry) = total.addingReportingOverflow(product)
      guard !overflow, !carry else { return .failure(tooLong) }
      total = sum
      previousUnit = unit.milliseconds
    }
    return .success(TimeSpan(milliseconds: total))
  }

  private static let tooLong = QuantitySyntaxError(
    "longer than meshc can count (about 292 million years)", help: "use 'infinite' where it is allowed")

  /// The exact spelling in days and smaller units (`7d`, `1h30m`, `250ms`), which
  /// `parse` reads back to the same span.
  public var description: String {
    guard milliseconds > 0 else { return milliseconds == 0 ? "0s" : "\(milliseconds)ms" }
    var rest = milliseconds
    var text = ""
    for unit in TimeSpan.units where unit.suffix != "w" {
      let amount = rest / unit.milliseconds
      if amount > 0 {
        text += "\(amount)\(unit.suffix)"
        rest -= amount * unit.milliseconds
      }
    }
    return text
  }
}
