public import MeshSchema

/// Random values of any Avro type of a schema, for round-trip tests. Decimals come in
/// their shortest two's-complement form, as every writer produces them.
public struct RandomAvroValues {
  public let schema: Schema
  public var random: SeededRandom

  public init(schema: Schema, random: SeededRandom) {
    self.schema = schema
    self.random = random
  }

  public mutating func value(_ type: AvroType, depth: Int = 0) -> AvroValue {
    switch type {
    case .primitive(let primitive, let logical):
      switch primitive {
      case .null: return .null
      case .boolean: return .boolean(Bool.random(using: &random))
      // Times of day lie within a day: other values are not times (and print as none).
      case .int where logical == .timeMillis: return .int(Int32.random(in: 0..<86_400_000, using: &random))
      case .long where logical == .timeMicros: return .long(Int64.random(in: 0..<86_400_000_000, using: &random))
      case .int: return .int(edgeOrRandom(Int32.self))
      case .long: return .long(edgeOrRandom(Int64.self))
      case .float: return .float(Float(Int.random(in: -1000...1000, using: &random)) / 8)
      case .double: return .double([0, -0.5, 1e300, -3.25, 1.0 / 3][Int.random(in: 0..<5, using: &random)])
      case .bytes:
        if case .decimal = logical {
          return .bytes(shortestDecimal(Int64.random(in: -999_999...999_999, using: &random)))
        }
        return .bytes(
          (0..<Int.random(in: 0...6, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
      case .string:
        if logical == .uuid {
          let hex = (0..<32).map { _ in "0123456789abcdef".randomElement(using: &random) ?? "0" }
          let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }
          return .string(groups.joined(separator: "-"))
        }
        return .string(["", "a", "Zürich", "paid", "🙂 emoji", "x\"y"][Int.random(in: 0..<6, using: &random)])
      }
    case .array(let items):
      return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in value(items, depth: depth + 1) })
    case .map(let values):
      return .map(
        (0..<Int.random(in: 0...3, using: &random)).map { index in
          AvroValue.MapEntry(key: "k\(index)", value: value(values, depth: depth + 1))
        })
    case .union(let branches):
      let branch = Int.random(in: 0..<branches.count, using: &random)
      return .union(branch: branch, value: value(branches[branch], depth: depth + 1))
    case .named(let name):
      switch schema.definition(name) {
      case .record(let record):
        return .record(record.fields.map { value($0.type, depth: depth + 1) })
      case .enumeration(let enumeration):
        let index = Int.random(in: 0..<enumeration.symbols.count, using: &random)
        return .enumeration(index: index, symbol: enumeration.symbols[index])
      case .fixed(let fixed):
        return .fixed((0..<fixed.size).map { _ in UInt8.random(in: 0...255, using: &random) })
      case nil:
        return .null
      }
    }
  }

  private mutating func edgeOrRandom<T: FixedWidthInteger>(_: T.Type) -> T {
    switch Int.random(in: 0..<6, using: &random) {
    case 0: T.min
    case 1: T.max
    case 2: 0
    default: T.random(in: -1000...1000, using: &random)
    }
  }

  func shortestDecimal(_ value: Int64) -> [UInt8] {
    var size = 8
    while size > 1 {
      let top = value >> Int64((size - 1) * 8 - 1)
      guard top == 0 || top == -1 else { break }
      size -= 1
    }
    return (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> Int64($0 * 8)) }
  }
}
