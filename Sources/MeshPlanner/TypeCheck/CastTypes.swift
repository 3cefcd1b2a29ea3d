import MeshData

/// The type names CAST accepts and the conversions between them.
enum CastTypes {
  static let names = [
    "boolean", "int", "integer", "bigint", "long", "float", "real", "double", "decimal", "string", "varchar", "text",
    "date", "timestamp", "bytes",
  ]

  static func type(_ name: String, _ parameters: [Int]) -> DataType? {
    switch (name, parameters.count) {
    case ("boolean", 0), ("bool", 0): .boolean
    case ("int", 0), ("integer", 0): .int32
    case ("bigint", 0), ("long", 0): .int64
    case ("float", 0), ("real", 0): .float32
    case ("double", 0): .float64
    case ("decimal", 1...2), ("numeric", 1...2):
      decimal(precision: parameters[0], scale: parameters.count > 1 ? parameters[1] : 0)
    case ("string", 0), ("varchar", 0), ("text", 0): .string
    case ("date", 0): .date
    case ("timestamp", 0): .timestamp(.micros, utc: true)
    case ("bytes", 0): .bytes
    default: nil
    }
  }

  private static func decimal(precision: Int, scale: Int) -> DataType? {
    guard (1...TypeRules.maxDecimalPrecision).contains(precision), (0...precision).contains(scale) else { return nil }
    return .decimal(precision: precision, scale: scale)
  }

  static func allowed(_ from: DataType, to target: DataType) -> Bool {
    if from == target || from == .null { return true }
    switch (from, target) {
    case (_, .string): return !isComposite(from)
    case (.string, _), (.enumeration, .string), (.uuid, .string): return !isComposite(target)
    case (.boolean, _) where target.isNumeric, (_, .boolean) where from.isNumeric: return true
    case (.date, .timestamp), (.timestamp, .date), (.timestamp, .timestamp): return true
    case (.bytes, .bytes), (.fixed, .bytes): return true
    default: return from.isNumeric && target.isNumeric
    }
  }

  private static func isComposite(_ type: DataType) -> Bool {
    switch type {
    case .record, .array, .map, .opaque: true
    default: false
    }
  }
}
