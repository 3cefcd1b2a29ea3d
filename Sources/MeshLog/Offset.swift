/// The position of a record in a partition: 0 for the first record ever appended, one
/// more for each record after it. Offsets are never reused; compaction and retention
/// leave gaps, they never renumber.
public struct Offset: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
  public var value: Int64

  @inlinable public init(_ value: Int64) { self.value = value }
  @inlinable public init(integerLiteral value: Int64) { self.value = value }

  @inlinable public static func < (lhs: Offset, rhs: Offset) -> Bool { lhs.value < rhs.value }
  @inlinable public static func + (lhs: Offset, rhs: Int64) -> Offset { Offset(lhs.value + rhs) }
  @inlinable public static func - (lhs: Offset, rhs: Int64) -> Offset { Offset(lhs.value - rhs) }
  /// The number of offsets from `rhs` up to `lhs`.
  @inlinable public static func - (lhs: Offset, rhs: Offset) -> Int64 { lhs.value - rhs.value }

  public var description: String { String(value) }
}
