extension ByteCount {
  static let units: [(suffix: String, bytes: Int64)] = [
    ("b", 1), ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("tb", 1_000_000_000_000),
    ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("tib", 1 << 40),
  ]

  public static let example = "write a size such as 4096, 100KB, 1.5GB, 512KiB or 1GiB"

  /// The one size grammar: a number of bytes, whole or decimal, optionally followed by
  /// a space and a unit — decimal (B, KB, MB, GB, TB) or binary (KiB, MiB, GiB, TiB), in
  /// any case (`1gb` is `1GB`). Single letters (`1g`) are refused: they do not say which
  /// of the two is meant. The result must be a whole, positive number of bytes. Never
  /// traps: the arithmetic is exact and checked.
  public static func parse(_ text: String) -> Result<ByteCount, QuantitySyntaxError> {
    let utf8 = Array(text.utf8)
    let malformed = QuantitySyntaxError("expected a number of bytes with an optional unit", help: example)
    var index = 0
    func digits() -> (value: Int64, count: Int)? {
      var value: Int64 = 0
      let start = index
      while index < utf8.count, utf8[index] >= UInt8(ascii: "0"), utf8[index] <= UInt8(ascii: "9") {
        let (tens, overflow) = value.multipliedReportingOverflow(by: 10)
        let (sum, carry) = tens.addingReportingOverflow(Int64(utf8[index] - UInt8(ascii: "0")))
        guard !overflow, !carry else { return nil }
        value = sum
        index += 1
      }
      return (value, index - start)
    }
    guard let whole = digits() else { return .failure(tooLarge) }
    guard whole.count > 0 else { return .failure(malformed) }
    var fraction: (value: Int64, count: Int) = (0, 0)
    if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
      index += 1
      guard let digits = digits() else { return .failure(tooLarge) }
      guard digits.count > 0 else { return .failure(malformed) }
      fraction = digits
    }
    if index < utf8.count, utf8[index] == UInt8(ascii: " ") { index += 1 }
    let suffix = String(decoding: utf8[index...], as: UTF8.self).lowercased()
    let multiplier: Int64
    if suffix.isEmpty {
      multiplier = 1
    } else if let unit = units.first(where: { $0.suffix == suffix }) {
      multiplier = unit.bytes
    } else if ["k", "m", "g", "t"].contains(suffix) {
      return .failure(
        QuantitySyntaxError(
          "'\(suffix)' does not say whether it is decimal or binary",
          help: "write \(suffix.uppercased())B (powers of 1000) or \(suffix.uppercased())iB (powers of 1024)"))
    } else {
      return .failure(malformed)
    }
    let (wholeBytes, overflow) = whole.value.multipliedReportingOverflow(by: multiplier)
    guard !overflow else { return .failure(tooLarge) }
    var fractionBytes: Int64 = 0
    if fraction.count > 0 {
      var scale: Int64 = 1
      for _ in 0..<fraction.count {
        let (next, scaleOverflow) = scale.multipliedReportingOverflow(by: 10)
        guard !scaleOverflow else { return .failure(notWhole) }
        scale = next
      }
      let (scaled, fractionOverflow) = fraction.value.multipliedReportingOverflow(by: multiplier)
      guard !fractionOverflow, scaled % scale == 0 else { return .failure(notWhole) }
      fractionBytes = scaled / scale
    }
    let (bytes, carry) = wholeBytes.addingReportingOverflow(fractionBytes)
    guard !carry else { return .failure(tooLarge) }
    guard bytes > 0 else { return .failure(QuantitySyntaxError("expected a size of at least 1 byte", help: example)) }
    return .success(ByteCount(bytes))
  }

  private static let tooLarge = QuantitySyntaxError("larger than meshc can count (8 EiB)")
  private static let notWhole = QuantitySyntaxError(
    "not a whole number of bytes", help: "use a smaller unit or fewer decimals, as in 1500KB")
}
