/// The logical-type annotations of parquet.thrift's `ParquetLogicalType` union.
public enum ParquetLogicalType: Sendable, Hashable {
  public enum TimeUnit: Sendable, Hashable {
    case millis, micros, nanos
  }

  case string
  case map
  case list
  case enumeration
  case decimal(scale: Int, precision: Int)
  case date
  case time(utc: Bool, unit: TimeUnit)
  case timestamp(utc: Bool, unit: TimeUnit)
  case integer(bitWidth: Int, signed: Bool)
  /// Always null (NullType, the union's UNKNOWN).
  case null
  case json
  case bson
  case uuid
  case float16
  /// A type this reader does not know, by its id in the union: readable as its physical type.
  case other(Int16)

  init(thrift: ThriftStruct) throws(FormatError) {
    guard let id = thrift.unionCase else { throw FormatError("a logical type sets no type") }
    switch id {
    case 1: self = .string
    case 2: self = .map
    case 3: self = .list
    case 4: self = .enumeration
    case 5:
      let decimal = try thrift.optionalStruct(5, "DecimalType") ?? ThriftStruct()
      self = .decimal(scale: try decimal.count(1, "scale"), precision: try decimal.count(2, "precision"))
    case 6: self = .date
    case 7, 8:
      let nested = try thrift.optionalStruct(id, "TimeType") ?? ThriftStruct()
      let utc = try nested.optionalBool(1, "isAdjustedToUTC") ?? true
      let unitStruct = try nested.optionalStruct(2, "unit") ?? ThriftStruct()
      let unit: TimeUnit
      switch unitStruct.unionCase {
      case 1: unit = .millis
      case 2: unit = .micros
      case 3: unit = .nanos
      default: throw FormatError("a time unit is missing")
      }
      self = id == 7 ? .time(utc: utc, unit: unit) : .timestamp(utc: utc, unit: unit)
    case 10:
      let nested = try thrift.optionalStruct(10, "IntType") ?? ThriftStruct()
      self = .integer(
        bitWidth: Int(try nested.integer(1, "bitWidth")), signed: try nested.optionalBool(2, "isSigned") ?? true)
    case 11: self = .null
    case 12: self = .json
    case 13: self = .bson
    case 14: self = .uuid
    case 15: self = .float16
    default: self = .other(id)
    }
  }

  var thrift: ThriftStruct {
    func unit(_ unit: TimeUnit) -> ThriftValue {
      switch unit {
      case .millis: .structure(ThriftStruct([(1, .empty)]))
      case .micros: .structure(ThriftStruct([(2, .empty)]))
      case .nanos: .structure(ThriftStruct([(3, .empty)]))
      }
    }
    switch self {
    case .string: return ThriftStruct([(1, .empty)])
    case .map: return ThriftStruct([(2, .empty)])
    case .list: return ThriftStruct([(3, .empty)])
    case .enumeration: return ThriftStruct([(4, .empty)])
    case .decimal(let scale, let precision):
      return ThriftStruct([(5, .structure(ThriftStruct([(1, .i32(Int32(scale))), (2, .i32(Int32(precision)))])))])
    case .date: return ThriftStruct([(6, .empty)])
    case .time(let utc, let timeUnit):
      return ThriftStruct([(7, .structure(ThriftStruct([(1, .bool(utc)), (2, unit(timeUnit))])))])
    case .timestamp(let utc, let timeUnit):
      return ThriftStruct([(8, .structure(ThriftStruct([(1, .bool(utc)), (2, unit(timeUnit))])))])
    case .integer(let bitWidth, let signed):
      return ThriftStruct([(10, .structure(ThriftStruct([(1, .byte(Int8(bitWidth))), (2, .bool(signed))])))])
    case .null: return ThriftStruct([(11, .empty)])
    case .json: return ThriftStruct([(12, .empty)])
    case .bson: return ThriftStruct([(13, .empty)])
    case .uuid: return ThriftStruct([(14, .empty)])
    case .float16: return ThriftStruct([(15, .empty)])
    case .other(let id): return ThriftStruct([(id, .empty)])
    }
  }

  public var description: String {
    switch self {
    case .string: "STRING"
    case .map: "MAP"
    case .list: "LIST"
    case .enumeration: "ENUM"
    case .decimal(let scale, let precision): "DECIMAL(\(precision),\(scale))"
    case .date: "DATE"
    case .time(let utc, let unit): "TIME(\(unit),\(utc ? "UTC" : "local"))"
    case .timestamp(let utc, let unit): "TIMESTAMP(\(unit),\(utc ? "UTC" : "local"))"
    case .integer(let bitWidth, let signed): "INT(\(bitWidth),\(signed ? "signed" : "unsigned"))"
    case .null: "NULL"
    case .json: "JSON"
    case .bson: "BSON"
    case .uuid: "UUID"
    case .float16: "FLOAT16"
    case .other(let id): "logical type \(id)"
    }
  }
}
