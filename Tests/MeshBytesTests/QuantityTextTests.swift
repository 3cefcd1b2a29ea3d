import MeshBytes
import Testing

/// The one grammar for durations, sizes and event times (manifests and the command line
/// both call these; `OneGrammarTests` checks that they do).
@Suite struct QuantityTextTests {
  @Test(arguments: [
    ("500ms", Int64(500)), ("30s", 30_000), ("15m", 900_000), ("12h", 43_200_000), ("7d", 604_800_000),
    ("2w", 1_209_600_000), ("1h30m", 5_400_000), ("0s", 0), ("1d12h", 129_600_000), ("1s500ms", 1500),
    ("9223372036854775807ms", Int64.max),
  ])
  func durationsParse(_ text: String, _ milliseconds: Int64) throws {
    #expect(try TimeSpan.parse(text).get() == TimeSpan(milliseconds: milliseconds))
  }

  @Test(arguments: [
    "", "7", "7x", "d", "1.5h", "-3d", "1h 30m", "30m1h", "1h1h", "7D", "5M", "infinite", " 7d", "7d ",
    "99999999999999999d", "15250284452w4d", "9223372036854775808ms", "1w9223372036854775807ms",
  ])
  func badDurationsAreRefusedWithoutTrapping(_ text: String) {
    guard case .failure(let problem) = TimeSpan.parse(text) else {
      Issue.record("'\(text)' was accepted")
      return
    }
    #expect(!problem.message.isEmpty)
  }

  @Test func durationsPrintBackExactly() throws {
    for milliseconds: Int64 in [1, 999, 1000, 1500, 60_000, 5_400_000, 604_800_000, 86_400_001, Int64.max] {
      let span = TimeSpan(milliseconds: milliseconds)
      #expect(try TimeSpan.parse(span.description).get() == span, "\(span)")
    }
    #expect(TimeSpan(milliseconds: 604_800_000).description == "7d")
    #expect(TimeSpan(milliseconds: 0).description == "0s")
  }

  @Test func uppercaseUnitsGetAHint() {
    guard case .failure(let problem) = TimeSpan.parse("7D") else { return }
    #expect(problem.help == "write '7d'")
  }

  @Test(arguments: [
    ("4096", Int64(4096)), ("100KB", 100_000), ("64KiB", 65_536), ("1.5GB", 1_500_000_000), ("1gib", 1_073_741_824),
    ("1gb", 1_000_000_000), ("512mb", 512_000_000), ("1.5 GiB", 1_610_612_736), ("1 B", 1), ("0.5KiB", 512),
    ("8EiB", -1), ("9223372036854775807", Int64.max), ("1TiB", 1 << 40),
  ])
  func sizesParse(_ text: String, _ bytes: Int64) throws {
    let result = ByteCount.parse(text)
    if bytes < 0 {
      #expect(throws: QuantitySyntaxError.self) { try result.get() }
    } else {
      #expect(try result.get() == ByteCount(bytes), "\(text)")
    }
  }

  @Test(arguments: [
    "", "KB", "1XB", "0", "0KB", "-1KB", "1e99", "1g", "10G", "1k", "1.2345B", "0.0001KB", "1.", ".5KB", "1  KB",
    "99999999999999999999", "9999999999TB", "infinite", "-1",
  ])
  func badSizesAreRefusedWithoutTrapping(_ text: String) {
    #expect(throws: QuantitySyntaxError.self, "'\(text)'") { try ByteCount.parse(text).get() }
  }

  @Test func singleLetterUnitsSayWhy() {
    guard case .failure(let problem) = ByteCount.parse("1g") else { return }
    #expect(problem.help?.contains("GiB") == true)
  }

  @Test func retentionIsInfiniteOrALimit() throws {
    #expect(try Retention.parse("infinite", amount: TimeSpan.parse).get() == .infinite)
    #expect(try Retention.parse("7d", amount: TimeSpan.parse).get() == .limited(.days(7)))
    #expect(throws: QuantitySyntaxError.self) { try Retention.parse("-1", amount: TimeSpan.parse).get() }
    #expect(throws: QuantitySyntaxError.self) { try Retention.parse("Infinite", amount: ByteCount.parse).get() }
    #expect(Retention<TimeSpan>.infinite.description == "infinite")
    #expect(Retention.limited(TimeSpan.seconds(90)).description == "1m30s")
  }

  @Test(arguments: [
    ("0", Int64(0)), ("1732473600000", 1_732_473_600_000), ("-5", -5), ("1970-01-01T00:00:00Z", 0),
    ("2024-11-24T18:40:00Z", 1_732_473_600_000), ("2024-11-24T19:40:00+01:00", 1_732_473_600_000),
    ("2024-11-24T18:40:00.250Z", 1_732_473_600_250), ("2024-11-24T18:40:00.250999Z", 1_732_473_600_250),
    ("2024-11-24", 1_732_406_400_000), ("2000-02-29T00:00:00Z", 951_782_400_000), ("1969-12-31T23:59:59.999Z", -1),
    ("2024-11-24t18:40:00-0030", 1_732_475_400_000),
  ])
  func eventTimesParse(_ text: String, _ milliseconds: Int64) throws {
    #expect(try EventTime.parse(text).get() == EventTime(millisecondsSinceEpoch: milliseconds))
  }

  @Test(arguments: [
    "", "yesterday", "2024-13-01", "2023-02-29", "2024-11-24T25:00:00Z", "2024-11-24T18:40", "2024-11-24T18:40:00+1",
    "2024-11-24T18:40:00Zjunk", "99999999999999999999", "2024-11-24T18:40:00", "-",
  ])
  func badEventTimesAreRefused(_ text: String) {
    #expect(throws: QuantitySyntaxError.self, "'\(text)'") { try EventTime.parse(text).get() }
  }

  @Test func eventTimesPrintAsISO8601AndReadBack() throws {
    #expect(EventTime(millisecondsSinceEpoch: 1_732_473_600_250).description == "2024-11-24T18:40:00.250Z")
    #expect(EventTime(millisecondsSinceEpoch: -1).description == "1969-12-31T23:59:59.999Z")
    for milliseconds: Int64 in [0, -1, 1_732_473_600_250, 253_402_300_799_999] {
      let time = EventTime(millisecondsSinceEpoch: milliseconds)
      #expect(try EventTime.parse(time.description).get() == time)
    }
    _ = EventTime(millisecondsSinceEpoch: .max).description
    _ = EventTime(millisecondsSinceEpoch: .min).description
  }
}
