/// Sizes as people type them: bytes (`4096`), decimal units (`100KB`, `1.5GB`) or binary
/// ones (`64KiB`, `1GiB`), case-insensitive; `infinite` where allowed.
public enum ByteSizeText {
  static let units: [(String, Double)] = [
    ("b", 1), ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12),
    ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("tib", 1_099_511_627_776),
    ("k", 1024), ("m", 1_048_576), ("g", 1_073_741_824),
  ]

  /// Bytes; nil for `infinite`.
  public static func parse(_ text: String, allowInfinite: Bool = true) -> Result<Int64?, ParseProblem> {
    let lowered = text.lowercased()
    if allowInfinite, lowered == "infinite" || lowered == "-1" { return .success(nil) }
    let expected =
      "expected a number of bytes with an optional unit (B, KB, MB, GB, KiB, MiB, GiB), as in '512MiB'"
      + (allowInfinite ? ", or 'infinite'" : "")
    let number = lowered.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
    let unit = lowered.dropFirst(number.count)
    guard !number.isEmpty, let value = Double(number), value.isFinite else { return .failure(ParseProblem(expected)) }
    let multiplier = unit.isEmpty ? 1 : units.first(where: { $0.0 == unit })?.1
    guard let multiplier else { return .failure(ParseProblem(expected)) }
    let bytes = (value * multiplier).rounded()
    guard bytes >= 1, bytes < 9.2e18 else { return .failure(ParseProblem("expected a size from 1 byte to 8 EiB")) }
    return .success(Int64(bytes))
  }
}
