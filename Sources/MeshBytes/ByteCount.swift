/// A number of bytes. Sizes in configuration and on disk carry this type rather than a
/// bare integer, so a count of records is never mistaken for a size.
public struct ByteCount: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var value: Int64

  public init(_ value: Int64) { self.value = value }
  public init(_ value: Int) { self.value = Int64(value) }

  public static func kibibytes(_ count: Int64) -> ByteCount { ByteCount(count * 1024) }
  public static func mebibytes(_ count: Int64) -> ByteCount { ByteCount(count * 1024 * 1024) }
  public static func gibibytes(_ count: Int64) -> ByteCount { ByteCount(count * 1024 * 1024 * 1024) }

  public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.value < rhs.value }
  public static func + (lhs: ByteCount, rhs: ByteCount) -> ByteCount { ByteCount(lhs.value + rhs.value) }

  /// `512 B`, `1.5 KiB`, `20.0 MiB`: binary units, one decimal.
  public var description: String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var amount = Double(value)
    var unit = 0
    while abs(amount) >= 1024, unit < units.count - 1 {
      amount /= 1024
      unit += 1
    }
    if unit == 0 { return "\(value) B" }
    let tenths = (amount * 10).rounded() / 10
    return "\(tenths) \(units[unit])"
  }
}
