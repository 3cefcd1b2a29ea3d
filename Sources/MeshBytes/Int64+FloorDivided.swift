extension Int64 {
  /// The quotient rounded down (toward negative infinity), as times and calendars need:
  /// 1969-12-31T23:59:59.5 is in the second before the epoch, not in it. `divisor` > 0.
  @inline(__always)
  public func floorDivided(by divisor: Int64) -> Int64 {
    self >= 0 ? self / divisor : -((-(self + 1)) / divisor) - 1
  }
}
