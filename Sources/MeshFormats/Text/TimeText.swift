import MeshBytes
import MeshData

/// Dates, times of day and timestamps in ISO-8601, to the nanosecond: `2026-11-24`,
/// `19:00:00.123456`, `2026-11-24T19:00:00.5+01:00`. Timestamps of UTC types need a zone
/// (`Z` or an offset); local timestamps take none.
enum TimeText {
  struct Scanner {
    let bytes: ArraySlice<UInt8>
    var at: Int

    init(_ bytes: ArraySlice<UInt8>) {
      self.bytes = bytes
      at = bytes.startIndex
    }

    var done: Bool { at == bytes.endIndex }

    mutating func number(_ digits: Int) -> Int? {
      guard bytes.endIndex - at >= digits else { return nil }
      var value = 0
      for byte in bytes[at..<at + digits] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      at += digits
      return value
    }

    mutating func take(_ characters: UInt8...) -> Bool {
      guard at < bytes.endIndex, characters.contains(bytes[at]) else { return false }
      at += 1
      return true
    }

    /// Fraction digits after a point, as nanoseconds; more than nine digits is an error.
    mutating func nanoseconds() -> Int64? {
      guard take(0x2E, 0x2C) else { return 0 }
      var value: Int64 = 0
      var digits = 0
      while at < bytes.endIndex, bytes[at] >= 0x30, bytes[at] <= 0x39 {
        guard digits < 9 else { return nil }
        value = value * 10 + Int64(bytes[at] - 0x30)
        digits += 1
        at += 1
      }
      guard digits > 0 else { return nil }
      for _ in digits..<9 { value *= 10 }
      return value
    }
  }

  static func date(_ text: ArraySlice<UInt8>) -> Int? {
    var scanner = Scanner(text)
    guard let days = date(&scanner), scanner.done else { return nil }
    return days
  }

  /// `YYYY-MM-DD`, with ISO-8601's expanded years too (`-0044-03-15`, `12345-01-01`),
  /// which is how meshc prints dates outside 0001–9999.
  private static func date(_ scanner: inout Scanner) -> Int? {
    let negative = scanner.take(0x2D)
    if !negative { _ = scanner.take(0x2B) }
    var digits = 0
    while scanner.at + digits < scanner.bytes.endIndex, (0x30...0x39).contains(scanner.bytes[scanner.at + digits]) {
      digits += 1
    }
    guard digits >= 4, digits <= 10, let magnitude = scanner.number(digits) else { return nil }
    let year = negative ? -magnitude : magnitude
    guard scanner.take(0x2D), let month = scanner.number(2), scanner.take(0x2D),
      let day = scanner.number(2), (1...12).contains(month),
      (1...EventTime.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    return EventTime.daysFromCivil(year: year, month: month, day: day)
  }

  /// Nanoseconds since midnight of `HH:MM[:SS[.f]]`.
  private static func clock(_ scanner: inout Scanner) -> Int64? {
    guard let hour = scanner.number(2), scanner.take(0x3A), let minute = scanner.number(2), hour < 24, minute < 60
    else { return nil }
    var second = 0
    var fraction: Int64 = 0
    if scanner.take(0x3A) {
      guard let value = scanner.number(2), value < 60, let nanos = scanner.nanoseconds() else { return nil }
      second = value
      fraction = nanos
    }
    return Int64(hour * 3600 + minute * 60 + second) * 1_000_000_000 + fraction
  }

  static func timeOfDay(_ text: ArraySlice<UInt8>, _ unit: DataType.TimeUnit) -> Int64? {
    var scanner = Scanner(text)
    guard let nanos = clock(&scanner), scanner.done else { return nil }
    return exact(nanos, unit)
  }

  static func timestamp(
    _ text: ArraySlice<UInt8>, _ unit: DataType.TimeUnit, utc: Bool
  ) -> Result<Int64, TextValueError> {
    let expected = TextValueError(
      utc
        ? "expected an ISO-8601 timestamp with a zone, as in 2026-11-24T19:00:00Z, or a number of \(unit.rawValue)"
        : "expected an ISO-8601 local timestamp without a zone, as in 2026-11-24T19:00:00")
    var scanner = Scanner(text)
    guard let days = date(&scanner) else { return .failure(expected) }
    var nanos: Int64 = 0
    if scanner.take(0x54, 0x74, 0x20) {
      guard let time = clock(&scanner) else { return .failure(expected) }
      nanos = time
    }
    var offsetSeconds: Int64 = 0
    let hasZone = !scanner.done
    if scanner.take(0x5A, 0x7A) {
      offsetSeconds = 0
    } else if !scanner.done {
      let sign: Int64 = scanner.take(0x2B) ? 1 : (scanner.take(0x2D) ? -1 : 0)
      guard sign != 0, let hours = scanner.number(2) else { return .failure(expected) }
      _ = scanner.take(0x3A)
      guard let minutes = scanner.number(2), hours < 24, minutes < 60 else { return .failure(expected) }
      offsetSeconds = sign * Int64(hours * 3600 + minutes * 60)
    } else if utc {
      return .failure(
        TextValueError("the timestamp has no zone: add Z for UTC or an offset such as +01:00"))
    }
    guard scanner.done else { return .failure(expected) }
    if !utc, hasZone { return .failure(TextValueError("a local timestamp takes no zone")) }
    // In 128 bits: the whole seconds of the earliest times overflow before the fraction
    // brings them back within a long.
    guard let fraction = exact(nanos, unit) else {
      return .failure(TextValueError("the timestamp is finer than \(unit.rawValue)"))
    }
    let total = (Int128(days) * 86_400 - Int128(offsetSeconds)) * Int128(unit.perSecond) + Int128(fraction)
    guard let value = Int64(exactly: total) else {
      return .failure(TextValueError("the timestamp is outside what \(unit.rawValue) since 1970 can count"))
    }
    return .success(value)
  }

  /// Nanoseconds in `unit`, when nothing finer is lost.
  private static func exact(_ nanos: Int64, _ unit: DataType.TimeUnit) -> Int64? {
    let per = 1_000_000_000 / unit.perSecond
    return nanos % per == 0 ? nanos / per : nil
  }
}
