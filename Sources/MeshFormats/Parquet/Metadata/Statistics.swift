/// A column chunk's (or page's) bounds and null count. Values are PLAIN-encoded
/// without length prefixes, in the column's sort order.
public struct Statistics: Sendable, Hashable {
  public var min: [UInt8]?
  public var max: [UInt8]?
  public var nullCount: Int64?
  public var distinctCount: Int64?
  /// True when min and max were read from the deprecated fields, whose order is signed
  /// bytes for binary columns: usable for numbers only.
  public var legacyOrder: Bool

  public init(min: [UInt8]? = nil, max: [UInt8]? = nil, nullCount: Int64? = nil) {
    self.min = min
    self.max = max
    self.nullCount = nullCount
    legacyOrder = false
  }

  init(thrift: ThriftStruct) throws(FormatError) {
    let minValue = try thrift.optionalBinary(6, "statistics min_value")
    let maxValue = try thrift.optionalBinary(5, "statistics max_value")
    if minValue != nil || maxValue != nil {
      min = minValue
      max = maxValue
      legacyOrder = false
    } else {
      min = try thrift.optionalBinary(2, "statistics min")
      max = try thrift.optionalBinary(1, "statistics max")
      legacyOrder = true
    }
    nullCount = try thrift.optionalInteger(3, "statistics null_count")
    distinctCount = try thrift.optionalInteger(4, "statistics distinct_count")
  }

  var thrift: ThriftStruct {
    var result = ThriftStruct()
    result.set(3, nullCount.map { .i64($0) })
    result.set(4, distinctCount.map { .i64($0) })
    result.set(5, max.map { .binary($0) })
    result.set(6, min.map { .binary($0) })
    return result
  }
}
