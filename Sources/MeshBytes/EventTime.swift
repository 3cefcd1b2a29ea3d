/// A point in event time: milliseconds since the Unix epoch, UTC — what records carry as
/// their log timestamp and what Avro's `timestamp-millis` holds. The one reader and
/// writer of times for the command line (`--from-time`, the produce envelope), the
/// connectors and the runtime.
///
/// Text forms: milliseconds since the epoch (`1732473600000`), or ISO-8601 in UTC or
/// with an offset (`2026-11-24T19:00:00Z`, `2026-11-24T20:00:00.250+01:00`, digits past
/// milliseconds are truncated), or a date alone (midnight UTC). A time without a zone is
/// refused rather than guessed.
public struct EventTime: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var millisecondsSinceEpoch: Int64

  public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

  public static func < (lhs: EventTime, rhs: EventTime) -> Bool {
    lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
  }

  public static let expected =
    "expected milliseconds since the epoch or an ISO-8601 time with a zone, as in '2026-11-24T19:00:00Z'"

  public static func parse(_ text: String) -> Result<EventTime, QuantitySyntaxError> {
    parseMilliseconds(text).map { EventTime(millisecondsSinceEpoch: $0) }
  }

  /// The times ISO-8601's four-digit years can write, 0000-01-01 to 9999-12-31: the
  /// range `parse` accepts, so that every time it reads prints and reads back the same.
  static let representable: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

  static func parseMilliseconds(_ text: String) -> Result<Int64, QuantitySyntaxError> {
    let bytes = Array(text.utf8)
    if !bytes.isEmpty,
      bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        || (bytes.first == 0x2D && bytes.count > 1 && bytes.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }))
    {
      guard let value = Int64(text), representable.contains(value) else {
        return .failure(QuantitySyntaxError("milliseconds outside the years 0000 to 9999"))
      }
      return .success(value)
    }
    var at = 0
    func number(_ digits: Int) -> Int? {
      guard at + digits <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[at..<(at + digits)] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      at += digits
      return value
    }
    func take(_ character: UInt8) -> Bool {
      guard at < bytes.count, bytes[at] == character else { return false }
      at += 1
      return true
    }
    guard let year = number(4), take(0x2D), let month = number(2), take(0x2D), let day = number(2),
      (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
    else { return .failure(QuantitySyntaxError(expected)) }
    var milliseconds = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400_000
    if at == bytes.count { return .success(milliseconds) }
    guard take(0x54) || take(0x74) || take(0x20), let hour = number(2), take(0x3A), let minute = number(2),
      hour < 24, minute < 60
    else { return .failure(QuantitySyntaxError(expected)) }
    var second = 0
    var fraction: Int64 = 0
    if take(0x3A) {
      guard let value = number(2), value < 61 else { return .failure(QuantitySyntaxError(expected)) }
      second = value
      if take(0x2E) || take(0x2C) {
        var digits = 0
        while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 {
          if digits < 3 { fraction = fraction * 10 + Int64(bytes[at] - 0x30) }
          digits += 1
          at += 1
        }
        guard digits > 0 else { return .failure(QuantitySyntaxError(expected)) }
        if digits < 3 { for _ in digits..<3 { fraction *= 10 } }
      }
    }
    milliseconds += Int64(hour * 3600 + minute * 60 + second) * 1000 + fraction
    if take(0x5A) || take(0x7A) {
      return at == bytes.count ? .success(milliseconds) : .failure(QuantitySyntaxError(expected))
    }
    let sign: Int64
    if take(0x2B) {
      sign = 1
    } else if take(0x2D) {
      sign = -1
    } else {
      return .failure(
        QuantitySyntaxError(
          at == bytes.count ? "the time has no zone: add 'Z' for UTC or an offset such as '+01:00'" : expected))
    }
    guard let offsetHours = number(2) else { return .failure(QuantitySyntaxError(expected)) }
    _ = take(0x3A)
    guard let offsetMinutes = number(2), at == bytes.count, offsetHours < 24, offsetMinutes < 60 else {
      return .failure(QuantitySyntaxError(expected))
    }
    return .success(milliseconds - sign * Int64(offsetHours * 60 + offsetMinutes) * 60_000)
  }

  /// `2026-11-24T19:00:00.000Z`, which `parse` reads back to the same time.
  public var description: String {
    let milliseconds = millisecondsSinceEpoch
    // Floor division by a day, without the multiplication that overflows near Int64.min.
    let quotient = milliseconds / 86_400_000
    let remainder = milliseconds % 86_400_000
    let days = Int(remainder < 0 ? quotient - 1 : quotient)
    let rest = Int(remainder < 0 ? remainder + 86_400_000 : remainder)
    let (year, month, day) = EventTime.civil(fromDays: days)
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    // Years before 1 and after 9999 take a sign or more digits (ISO-8601's expanded years).
    let yearText = year < 0 ? "-" + pad(-year, 4) : pad(year, 4)
    return "\(yearText)-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3_600_000, 2)):"
      + "\(pad(rest / 60_000 % 60, 2)):\(pad(rest / 1000 % 60, 2)).\(pad(rest % 1000, 3))Z"
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 (Howard Hinnant's algorithm).
  public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  public static func civil(fromDays days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthPart = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
    let month = monthPart + (monthPart < 10 ? 3 : -9)
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
