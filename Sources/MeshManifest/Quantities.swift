public import MeshBytes

/// A percentage written as `99.9%`, kept as the number before the sign.
public struct Percentage: Hashable, Sendable, CustomStringConvertible {
  public var value: Double

  public init(_ value: Double) { self.value = value }

  public static func parse(_ text: String) -> Percentage? {
    guard text.hasSuffix("%"), let value = Double(text.dropLast()), value.isFinite else { return nil }
    return Percentage(value)
  }

  public var description: String { "\(value)%" }
}

extension ByteCount {
  static let manifestUnits: [(suffix: String, bytes: Int64)] = [
    ("B", 1), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
    ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
  ]

  /// Parses `512KiB`, `1GiB`, `10MB`, `100B`; nil when the text is not of that form.
  public static func parse(_ text: String) -> ByteCount? {
    let digits = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
    let suffix = text.dropFirst(digits.count).trimmingPrefix(" ")
    guard let amount = Double(digits), let unit = manifestUnits.first(where: { $0.suffix == suffix }) else {
      return nil
    }
    let bytes = amount * Double(unit.bytes)
    guard bytes.isFinite, bytes < Double(Int64.max), bytes == bytes.rounded() else { return nil }
    return ByteCount(Int64(bytes))
  }
}
