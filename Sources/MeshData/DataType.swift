public import MeshSchema

/// The type of a column in flight. It follows Avro's types (the log's payload and the
/// schemas' language) but says how values are held: logical types keep their unit, and
/// a union with null is a nullable field rather than a type of its own.
public indirect enum DataType: Hashable, Sendable, CustomStringConvertible {
  /// The type of the literal `null` only; it widens to any nullable type.
  case null
  case boolean
  case int32
  case int64
  case float32
  case float64
  /// Unscaled values in an Int64: precision 18 at most.
  case decimal(precision: Int, scale: Int)
  case string
  case bytes
  case fixed(size: Int)
  case uuid
  /// Held as the symbol's index (Int32).
  case enumeration(name: String, symbols: [String])
  /// Days since 1970-01-01 (Int32).
  case date
  /// Time of day since midnight (Int64 in the unit).
  case time(TimeUnit)
  /// Since 1970-01-01T00:00:00 (Int64 in the unit); `utc` false for Avro's local timestamps.
  case timestamp(TimeUnit, utc: Bool)
  /// An amount of time (Int64 microseconds): expression literals like `INTERVAL '1h'`.
  case duration
  case record(RecordSchema)
  case array(element: DataType, elementNullable: Bool)
  case map(value: DataType, valueNullable: Bool)
  /// A type the columns do not take apart (a union of several non-null types): each value
  /// is kept as its Avro binary encoding, passed through, never computed on.
  case opaque(AvroType)

  public enum TimeUnit: String, Hashable, Sendable {
    case millis, micros, nanos

    /// Units of this kind in one second.
    public var perSecond: Int64 {
      switch self {
      case .millis: 1_000
      case .micros: 1_000_000
      case .nanos: 1_000_000_000
      }
    }
  }

  public var description: String {
    switch self {
    case .null: "null"
    case .boolean: "boolean"
    case .int32: "int"
    case .int64: "long"
    case .float32: "float"
    case .float64: "double"
    case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
    case .string: "string"
    case .bytes: "bytes"
    case .fixed(let size): "fixed(\(size))"
    case .uuid: "uuid"
    case .enumeration(let name, _): "enum \(name)"
    case .date: "date"
    case .time(let unit): "time-\(unit.rawValue)"
    case .timestamp(let unit, let utc): utc ? "timestamp-\(unit.rawValue)" : "local-timestamp-\(unit.rawValue)"
    case .duration: "duration"
    case .record(let record): "record \(record.name)"
    case .array(let element, let nullable): "array<\(element)\(nullable ? "?" : "")>"
    case .map(let value, let nullable): "map<\(value)\(nullable ? "?" : "")>"
    case .opaque: "union"
    }
  }

  public var isNumeric: Bool {
    switch self {
    case .int32, .int64, .float32, .float64, .decimal: true
    default: false
    }
  }

  public var isTemporal: Bool {
    switch self {
    case .date, .timestamp, .time: true
    default: false
    }
  }

  /// Text-like: compared and concatenated as strings.
  public var isText: Bool {
    switch self {
    case .string, .uuid, .enumeration: true
    default: false
    }
  }

  /// How the column holds its values.
  public var physical: PhysicalKind {
    switch self {
    case .null, .boolean: .boolean
    case .int32, .date, .enumeration: .int32
    case .int64, .decimal, .time, .timestamp, .duration: .int64
    case .float32: .float32
    case .float64: .float64
    case .string, .bytes, .fixed, .uuid, .opaque: .binary
    case .record: .record
    case .array: .list
    case .map: .map
    }
  }
}

/// The buffer layout of a column.
public enum PhysicalKind: Hashable, Sendable {
  case boolean, int32, int64, float32, float64, binary, record, list, map
}
