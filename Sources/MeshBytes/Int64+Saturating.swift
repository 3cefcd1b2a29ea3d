extension Int64 {
  /// `self - other`, held at the ends of Int64 instead of trapping: a watermark is an
  /// event time from the data minus a lateness from the manifest, and either may be extreme.
  public func subtractingSaturated(_ other: Int64) -> Int64 {
    let (value, overflow) = subtractingReportingOverflow(other)
    return overflow ? (other > 0 ? .min : .max) : value
  }

  /// `self + other`, held at the ends of Int64 instead of trapping.
  public func addingSaturated(_ other: Int64) -> Int64 {
    let (value, overflow) = addingReportingOverflow(other)
    return overflow ? (other > 0 ? .max : .min) : value
  }
}
