import MeshBytes

/// Values as text, for CAST(… AS string), `||` and concat: integers and decimals in
/// plain digits, doubles in Swift's shortest round-trip form, times in ISO-8601 UTC,
/// booleans as true/false, enums by symbol, bytes as they are. `meshc cat` and the JSON
/// Lines writer print values with the same text.
public enum ValueText {
  public static func append(_ column: Column, _ row: Int, to out: inout [UInt8]) {
    // By the values first: keys are mostly strings, which need no look at the type.
    switch column.values {
    case .binary(let offsets, let bytes):
      // Copied straight from the buffer: `+=` of a slice goes through the generic path.
      let start = Int(offsets[row])
      let end = Int(offsets[row + 1])
      bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    case .int32(let values):
      switch column.type {
      case .enumeration(_, let symbols):
        let index = Int(values[row])
        if symbols.indices.contains(index) { out += symbols[index].utf8 }
      case .date: out += date(Int64(values[row])).utf8
      case .int32: out += String(values[row]).utf8
      default: break
      }
    case .int64(let values):
      switch column.type {
      case .decimal(_, let scale): out += decimal(values[row], scale: scale).utf8
      case .timestamp(let unit, _): out += timestamp(values[row], unit).utf8
      case .time(let unit): out += time(values[row], unit).utf8
      case .duration: out += duration(values[row]).utf8
      default: out += String(values[row]).utf8
      }
    case .float64(let values): out += double(values[row]).utf8
    case .float32(let values): out += double(Double(values[row])).utf8
    case .boolean(let values): out += (values[row] ? "true" : "false").utf8
    default: break
    }
  }

  public static func double(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    return "\(value)"
  }

  public static func date(_ days: Int64) -> String {
    String(EventTime(millisecondsSinceEpoch: days &* 86_400_000).description.prefix { $0 != "T" })
  }

  /// `2026-11-24T19:00:00.000Z`, with more fraction digits for finer units.
  public static func timestamp(_ value: Int64, _ unit: DataType.TimeUnit) -> String {
    let perMilli = unit.perSecond / 1000
    let millis = value.floorDivided(by: perMilli)
    let text = EventTime(millisecondsSinceEpoch: millis).description
    guard perMilli > 1 else { return text }
    let rest = value &- millis &* perMilli
    let digits = unit == .micros ? 3 : 6
    let fraction = String(rest)
    return String(text.dropLast()) + String(repeating: "0", count: digits - fraction.count) + fraction + "Z"
  }

  public static func time(_ value: Int64, _ unit: DataType.TimeUnit) -> String {
    let ms = value / (unit.perSecond / 1000)
    func pad(_ n: Int64, _ width: Int) -> String {
      let text = String(n)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(pad(ms / 3_600_000, 2)):\(pad(ms / 60_000 % 60, 2)):\(pad(ms / 1000 % 60, 2)).\(pad(ms % 1000, 3))"
  }

  public static func duration(_ micros: Int64) -> String {
    micros % 1000 == 0 ? "\(TimeSpan(milliseconds: micros / 1000))" : "\(micros)us"
  }

  /// Decimal text without floating point: `-12.30` from unscaled -1230 at scale 2.
  public static func decimal(_ unscaled: Int64, scale: Int) -> String {
    guard scale > 0 else { return "\(unscaled)" }
    let negative = unscaled < 0
    var digits = String(unscaled.magnitude)
    while digits.count <= scale { digits = "0" + digits }
    digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
    return negative ? "-" + digits : digits
  }
}
