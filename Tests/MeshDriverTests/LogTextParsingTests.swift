import Testing

@testable import MeshDriver

/// Durations, sizes and times as the log commands accept them.
@Suite struct LogTextParsingTests {
  @Test(arguments: [
    ("500ms", Int64?.some(500)), ("30s", 30_000), ("15m", 900_000), ("12h", 43_200_000), ("7d", 604_800_000),
    ("2w", 1_209_600_000), ("1h30m", 5_400_000), ("infinite", nil), ("INFINITE", nil),
  ])
  func durationsParse(_ text: String, _ expected: Int64?) throws {
    #expect(try DurationText.parse(text).get() == expected)
  }

  @Test(arguments: ["", "7", "7x", "d", "1.5h", "-3d", "0s", "1h 30m", "99999999999999999d"])
  func badDurationsAreRefused(_ text: String) {
    guard case .failure = DurationText.parse(text) else {
      Issue.record("'\(text)' was accepted")
      return
    }
  }

  @Test func durationsFormatBackExactly() {
    #expect(DurationText.format(604_800_000) == "7d")
    #expect(DurationText.format(5_400_000) == "1h30m")
    #expect(DurationText.format(1500) == "1s500ms")
    #expect(DurationText.format(nil) == "infinite")
    #expect(DurationText.parse("infinite", allowInfinite: false).isFailure)
  }

  @Test(arguments: [
    ("4096", Int64?.some(4096)), ("100KB", 100_000), ("64KiB", 65_536), ("1.5GB", 1_500_000_000),
    ("1gib", 1_073_741_824),
    ("10G", 10_737_418_240), ("512mb", 512_000_000), ("infinite", nil),
  ])
  func sizesParse(_ text: String, _ expected: Int64?) throws {
    #expect(try ByteSizeText.parse(text).get() == expected)
  }

  @Test(arguments: ["", "KB", "12 KB", "1XB", "0", "-1KB", "1e99"])
  func badSizesAreRefused(_ text: String) {
    #expect(ByteSizeText.parse(text, allowInfinite: false).isFailure, "'\(text)'")
  }

  @Test(arguments: [
    ("0", Int64(0)), ("1732473600000", 1_732_473_600_000), ("1970-01-01T00:00:00Z", 0),
    ("2024-11-24T18:40:00Z", 1_732_473_600_000), ("2024-11-24T19:40:00+01:00", 1_732_473_600_000),
    ("2024-11-24T18:40:00.250Z", 1_732_473_600_250), ("2024-11-24", 1_732_406_400_000),
    ("2000-02-29T00:00:00Z", 951_782_400_000), ("1969-12-31T23:59:59.999Z", -1),
    ("2024-11-24t18:40:00-0030", 1_732_475_400_000),
  ])
  func timesParse(_ text: String, _ expected: Int64) throws {
    #expect(try TimestampText.parse(text).get() == expected)
  }

  @Test(arguments: [
    "", "yesterday", "2024-13-01", "2023-02-29", "2024-11-24T25:00:00Z", "2024-11-24T18:40", "2024-11-24T18:40:00+1",
    "2024-11-24T18:40:00Zjunk", "99999999999999999999",
  ])
  func badTimesAreRefused(_ text: String) {
    #expect(TimestampText.parse(text).isFailure, "'\(text)'")
  }

  @Test func timesFormatAsISO8601() {
    #expect(TimestampText.format(1_732_473_600_250) == "2024-11-24T18:40:00.250Z")
    #expect(TimestampText.format(-1) == "1969-12-31T23:59:59.999Z")
  }
}

extension Result {
  var isFailure: Bool {
    if case .failure = self { return true }
    return false
  }
}
