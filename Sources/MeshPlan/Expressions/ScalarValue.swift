import MeshBytes
public import MeshData

/// A constant of an expression, in the representation its column type uses: timestamps
/// in their unit, durations in microseconds, dates in days, decimals unscaled, enum
/// symbols by index.
public enum ScalarValue: Hashable, Sendable, CustomStringConvertible {
  case null
  case boolean(Bool)
  case integer(Int64)
  case double(Double)
  case decimal(unscaled: Int64, scale: Int)
  case string(String)
  case timestamp(Int64, DataType.TimeUnit)
  case date(days: Int32)
  case duration(micros: Int64)

  public var description: String {
    switch self {
    case .null: "NULL"
    case .boolean(let value): value ? "TRUE" : "FALSE"
    case .integer(let value): "\(value)"
    case .double(let value): "\(value)"
    case .decimal(let unscaled, let scale): ValueText.decimal(unscaled, scale: scale)
    case .string(let value):
      "'" + value.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    case .timestamp(let value, let unit):
      value % (unit.perSecond / 1000) == 0
        ? "TIMESTAMP '\(EventTime(millisecondsSinceEpoch: value / (unit.perSecond / 1000)))'"
        : "TIMESTAMP '\(value)\(unit.rawValue)'"
    case .date(let days):
      "DATE '\(String(EventTime(millisecondsSinceEpoch: Int64(days) * 86_400_000).description.prefix(10)))'"
    case .duration(let micros):
      micros % 1000 == 0 ? "INTERVAL '\(TimeSpan(milliseconds: micros / 1000))'" : "INTERVAL '\(micros)us'"
    }
  }
}
