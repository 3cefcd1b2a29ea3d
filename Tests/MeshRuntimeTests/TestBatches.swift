import MeshData
import MeshPlan
import MeshTestSupport

/// Batches from rows of constants, for tests: a schema of flat fields and one
/// `ScalarValue` per field and row (`.null` where the field is nullable).
enum TestBatches {
  static let schema = RecordSchema(
    name: "T",
    fields: [
      DataField(name: "qty", type: .int32, nullable: true),
      DataField(name: "big", type: .int64, nullable: false),
      DataField(name: "amount", type: .float64, nullable: true),
      DataField(name: "price", type: .decimal(precision: 10, scale: 2), nullable: true),
      DataField(name: "name", type: .string, nullable: true),
      DataField(name: "code", type: .string, nullable: false),
      DataField(name: "paid", type: .boolean, nullable: true),
      DataField(name: "placed_at", type: .timestamp(.millis, utc: true), nullable: false),
      DataField(name: "day", type: .date, nullable: true),
      DataField(
        name: "status", type: .enumeration(name: "S", symbols: ["placed", "paid", "shipped"]), nullable: false),
    ])

  static func batch(_ rows: [[ScalarValue]], schema: RecordSchema = schema) -> RecordBatch {
    let columns = schema.fields.indices.map { index in
      column(rows.map { $0[index] }, type: schema.fields[index].type)
    }
    return RecordBatch(schema: schema, columns: columns, rowCount: rows.count)
  }

  static func column(_ values: [ScalarValue], type: DataType) -> Column {
    var validity = Bitmap()
    for value in values { validity.append(value != .null) }
    let columnValues: ColumnValues
    switch type.physical {
    case .boolean: columnValues = .boolean(values.map { if case .boolean(let b) = $0 { b } else { false } })
    case .int32:
      columnValues = .int32(
        values.map {
          switch $0 {
          case .integer(let n): Int32(truncatingIfNeeded: n)
          case .date(let d): d
          default: 0
          }
        })
    case .int64:
      columnValues = .int64(
        values.map {
          switch $0 {
          case .integer(let n), .decimal(let n, _), .timestamp(let n, _), .duration(let n): n
          default: 0
          }
        })
    case .float64: columnValues = .float64(values.map { if case .double(let d) = $0 { d } else { 0 } })
    case .float32: columnValues = .float32(values.map { if case .double(let d) = $0 { Float(d) } else { 0 } })
    default:
      var bytes: [UInt8] = []
      var offsets: [Int32] = [0]
      for value in values {
        if case .string(let text) = value { bytes += text.utf8 }
        offsets.append(Int32(bytes.count))
      }
      columnValues = .binary(offsets: offsets, bytes: bytes)
    }
    return Column(type: type, values: columnValues, validity: validity.nullCount > 0 ? validity : nil)
  }

  /// The value of row `row` of a column as a constant (`.null` when null).
  static func value(_ column: Column, _ row: Int) -> ScalarValue {
    if column.isNull(row) { return .null }
    switch (column.type, column.values) {
    case (.boolean, .boolean(let v)): return .boolean(v[row])
    case (.date, .int32(let v)): return .date(days: v[row])
    case (_, .int32(let v)): return .integer(Int64(v[row]))
    case (.decimal(_, let scale), .int64(let v)): return .decimal(unscaled: v[row], scale: scale)
    case (.timestamp(let unit, _), .int64(let v)): return .timestamp(v[row], unit)
    case (.duration, .int64(let v)): return .duration(micros: v[row])
    case (_, .int64(let v)): return .integer(v[row])
    case (_, .float64(let v)): return .double(v[row])
    case (_, .float32(let v)): return .double(Double(v[row]))
    case (_, .binary): return .string(column.string(row))
    default: return .null
    }
  }

  static let edgeIntegers: [Int64] = [0, 1, -1, 2, 7, -7, 100, Int64(Int32.max), Int64(Int32.min), .max, .min]

  /// Random rows with NULLs in the nullable fields and edge values among the numbers.
  static func randomRows(_ count: Int, _ random: inout SeededRandom) -> [[ScalarValue]] {
    let words = ["", "a", "Ab", "SHOE-1", "shoe-2", "Ünïcode", "x_y%z", "  pad  ", "paid", "test"]
    return (0..<count).map { _ in
      func maybe(_ value: ScalarValue) -> ScalarValue { random.below(6) == 0 ? .null : value }
      let int32 =
        random.below(4) == 0
        ? Int64(Int32(truncatingIfNeeded: edgeIntegers[random.below(edgeIntegers.count)]))
        : Int64(random.below(200)) - 100
      let int64 =
        random.below(4) == 0
        ? edgeIntegers[random.below(edgeIntegers.count)] : Int64(random.below(20000)) - 10000
      let doubles = [0.0, -0.0, 0.5, -2.25, 1e300, 3.0, 100.125]
      return [
        maybe(.integer(int32)),
        .integer(int64),
        maybe(.double(doubles[random.below(doubles.count)])),
        maybe(.decimal(unscaled: Int64(random.below(100_000)) - 50_000, scale: 2)),
        maybe(.string(words[random.below(words.count)])),
        .string(words[random.below(words.count)]),
        maybe(.boolean(random.below(2) == 0)),
        .timestamp(1_767_225_600_000 + Int64(random.below(1_000_000_000)) - 500_000_000, .millis),
        maybe(.date(days: Int32(random.below(40000)) - 20000)),
        .integer(Int64(random.below(3))),
      ]
    }
  }
}

extension SeededRandom {
  /// A number in 0..<bound.
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
