/// An Avro type. Named types (records, enums, fixed) appear by full name and are defined
/// once in their `Schema`'s table, which is how recursive records are represented.
public indirect enum AvroType: Sendable, Hashable {
  case primitive(Primitive, logical: LogicalType?)
  case named(String)
  case array(AvroType)
  case map(AvroType)
  case union([AvroType])

  public static func plain(_ primitive: Primitive) -> AvroType { .primitive(primitive, logical: nil) }
}

public enum Primitive: String, Sendable, Hashable, CaseIterable {
  case null, boolean, int, long, float, double, bytes, string
}

/// Logical types of Avro 1.11, kept on the type they annotate.
public enum LogicalType: Sendable, Hashable, CustomStringConvertible {
  case decimal(precision: Int, scale: Int)
  case uuid
  case date
  case timeMillis, timeMicros
  case timestampMillis, timestampMicros, timestampNanos
  case localTimestampMillis, localTimestampMicros, localTimestampNanos
  case duration

  public var description: String {
    switch self {
    case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
    case .uuid: "uuid"
    case .date: "date"
    case .timeMillis: "time-millis"
    case .timeMicros: "time-micros"
    case .timestampMillis: "timestamp-millis"
    case .timestampMicros: "timestamp-micros"
    case .timestampNanos: "timestamp-nanos"
    case .localTimestampMillis: "local-timestamp-millis"
    case .localTimestampMicros: "local-timestamp-micros"
    case .localTimestampNanos: "local-timestamp-nanos"
    case .duration: "duration"
    }
  }

  /// The primitive each non-decimal logical type annotates (nil: on `fixed`, or several).
  static let byName: [String: (LogicalType, Primitive?)] = [
    "uuid": (.uuid, .string), "date": (.date, .int), "time-millis": (.timeMillis, .int),
    "time-micros": (.timeMicros, .long), "timestamp-millis": (.timestampMillis, .long),
    "timestamp-micros": (.timestampMicros, .long), "timestamp-nanos": (.timestampNanos, .long),
    "local-timestamp-millis": (.localTimestampMillis, .long), "local-timestamp-micros": (.localTimestampMicros, .long),
    "local-timestamp-nanos": (.localTimestampNanos, .long), "duration": (.duration, nil),
  ]
}
