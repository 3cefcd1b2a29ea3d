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
