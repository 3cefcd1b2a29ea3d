import Dispatch
import Foundation
import MeshData
import MeshPlan
import MeshPlanner
import MeshRuntime

public struct BenchExprResult: Sendable {
  public var records: Int
  public var selected: Int
  public var compiledSeconds: [Double]
  public var handWrittenSeconds: [Double]
  public var agree: Bool

  public var text: String {
    let compiled = median(compiledSeconds)
    let hand = median(handWrittenSeconds)
    func rate(_ seconds: Double) -> String { String(format: "%6.1f M records/s", Double(records) / seconds / 1e6) }
    return """
      meshc bench expr: a filter and five derived fields over \(records) records (\(selected) pass), median of \(compiledSeconds.count) runs
        filter:  \(BenchExpr.filter)
        derived: \(BenchExpr.derived.joined(separator: " | "))
        hand-written Swift loop     \(String(format: "%8.1f ms", hand * 1000))  \(rate(hand))
        compiled expressions        \(String(format: "%8.1f ms", compiled * 1000))  \(rate(compiled))  \(String(format: "%.2f", hand / compiled)) of the hand-written loop's speed (target 0.70)
        results agree: \(agree ? "yes" : "NO")
      """
  }
}

/// The work `meshc bench expr` times: a filter, then five derived fields of the records
/// that pass, on columns of the shape the example mesh's orders have.
enum BenchExpr {
  static let filter = "status <> 'test' AND amount >= 0"
  static let derived = [
    "amount * fx_rate", "quantity + 1", "amount * fx_rate > 100", "placed_at + 1h", "quantity * 2 - 1",
  ]

  static let schema = RecordSchema(
    name: "Order",
    fields: [
      DataField(name: "quantity", type: .int32, nullable: false),
      DataField(name: "amount", type: .float64, nullable: false),
      DataField(name: "fx_rate", type: .float64, nullable: false),
      DataField(name: "status", type: .string, nullable: false),
      DataField(name: "placed_at", type: .timestamp(.millis, utc: true), nullable: false),
    ])

  /// A batch of generated orders: one in ten is a test order or has a negative amount.
  static func batch(seed: Int, rows: Int) -> RecordBatch {
    var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
    func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }
    var quantity: [Int32] = []
    var amount: [Double] = []
    var rate: [Double] = []
    var time: [Int64] = []
    var offsets: [Int32] = [0]
    var bytes: [UInt8] = []
    let statuses = ["placed", "paid", "shipped", "cancelled", "paid", "shipped", "paid", "placed", "paid", "test"]
    for _ in 0..<rows {
      let r = next()
      quantity.append(Int32(r % 20) + 1)
      amount.append(r % 19 == 0 ? -5 : Double(r % 50_000) / 100)
      rate.append(1 + Double(r % 7) / 100)
      time.append(1_767_225_600_000 + Int64(r % 86_400_000))
      bytes += statuses[Int((r >> 32) % 10)].utf8
      offsets.append(Int32(bytes.count))
    }
    let columns = [
      Column(type: .int32, values: .int32(quantity)), Column(type: .float64, values: .float64(amount)),
      Column(type: .float64, values: .float64(rate)),
      Column(type: .string, values: .binary(offsets: offsets, bytes: bytes)),
      Column(type: .timestamp(.millis, utc: true), values: .int64(time)),
    ]
    return RecordBatch(schema: schema, columns: columns, rowCount: rows)
  }

  /// The same work written by hand over the same columns: one pass per batch, the
  /// filter and the five fields fused, overflow checked as the evaluators check it.
  static func handWritten(_ batch: RecordBatch) -> (selected: Int, checksum: Double) {
    guard case .int32(let quantity) = batch.columns[0].values, case .float64(let amount) = batch.columns[1].values,
      case .float64(let rate) = batch.columns[2].values, case .binary(let offsets, let bytes) = batch.columns[3].values,
      case .int64(let time) = batch.columns[4].values
    else { return (0, 0) }
    let test = Array("test".utf8)
    var selection: [Int32] = []
    selection.reserveCapacity(batch.rowCount)
    for row in 0..<batch.rowCount {
      let start = Int(offsets[row])
      let length = Int(offsets[row + 1]) - start
      let isTest =
        length == 4 && bytes[start] == test[0] && bytes[start + 1] == test[1] && bytes[start + 2] == test[2]
        && bytes[start + 3] == test[3]
      if !isTest && amount[row] >= 0 { selection.append(Int32(row)) }
    }
    var eur = [Double](repeating: 0, count: selection.count)
    var plusOne = [Int32](repeating: 0, count: selection.count)
    var large = [Bool](repeating: false, count: selection.count)
    var later = [Int64](repeating: 0, count: selection.count)
    var odd = [Int32](repeating: 0, count: selection.count)
    var overflow = false
    for (index, row32) in selection.enumerated() {
      let row = Int(row32)
      let value = amount[row] * rate[row]
      eur[index] = value
      let (p, o1) = quantity[row].addingReportingOverflow(1)
      plusOne[index] = p
      large[index] = value > 100
      let (t, o2) = time[row].addingReportingOverflow(3_600_000)
      later[index] = t
      let (d, o3) = quantity[row].multipliedReportingOverflow(by: 2)
      let (m, o4) = d.subtractingReportingOverflow(1)
      odd[index] = m
      overflow = overflow || o1 || o2 || o3 || o4
    }
    return (selection.count, checksum(eur, plusOne, large, later, odd))
  }

  static func checksum(_ eur: [Double], _ plusOne: [Int32], _ large: [Bool], _ later: [Int64], _ odd: [Int32]) -> Double
  {
    var sum = 0.0
    for index in eur.indices {
      sum +=
        eur[index] + Double(plusOne[index]) + (large[index] ? 1 : 0) + Double(later[index] % 1000) + Double(odd[index])
    }
    return sum
  }
}

struct BenchError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

extension Benchmarks {
  /// Times the compiled filter and fields against `BenchExpr.handWritten` in the same run,
  /// over `records` records cycling through 16 generated batches.
  public static func benchExpr(records: Int, repeats: Int) throws -> BenchExprResult {
    guard
      case .success(let condition) = StandaloneExpression.check(
        BenchExpr.filter, against: BenchExpr.schema, as: .condition)
    else { throw BenchError("the benchmark's filter does not check") }
    var fields: [CompiledExpression] = []
    for text in BenchExpr.derived {
      guard case .success(let bound) = StandaloneExpression.check(text, against: BenchExpr.schema, as: .value) else {
        throw BenchError("'\(text)' does not check")
      }
      fields.append(try CompiledExpression(bound))
    }
    let filter = try CompiledExpression(condition)
    let rows = RecordBatch.preferredRowCount
    let batches = (0..<16).map { BenchExpr.batch(seed: $0 + 1, rows: rows) }
    let batchCount = max(1, records / rows)
    var compiledTimes: [Double] = []
    var handTimes: [Double] = []
    var selected = 0
    var agree = true
    for run in 0...repeats {
      var compiledSum = 0.0
      var compiledSelected = 0
      let start = DispatchTime.now().uptimeNanoseconds
      for index in 0..<batchCount {
        var batch = batches[index % batches.count]
        var context = EvaluationContext()
        batch.selection = filter.selection(batch, &context)
        let columns = fields.map { $0.evaluate(batch, &context) }
        compiledSelected += batch.count
        if index < batches.count { compiledSum += Self.checksum(columns, batch.selection ?? []) }
      }
      let middle = DispatchTime.now().uptimeNanoseconds
      var handSum = 0.0
      var handSelected = 0
      for index in 0..<batchCount {
        let (count, sum) = BenchExpr.handWritten(batches[index % batches.count])
        handSelected += count
        if index < batches.count { handSum += sum }
      }
      let end = DispatchTime.now().uptimeNanoseconds
      if run > 0 {
        compiledTimes.append(Double(middle - start) / 1e9)
        handTimes.append(Double(end - middle) / 1e9)
      }
      selected = handSelected
      agree = agree && compiledSelected == handSelected && abs(compiledSum - handSum) <= 1e-6 * max(1, abs(handSum))
    }
    return BenchExprResult(
      records: batchCount * rows, selected: selected, compiledSeconds: compiledTimes, handWrittenSeconds: handTimes,
      agree: agree)
  }

  /// The hand-written loop's checksum over the compiled columns' selected rows.
  private static func checksum(_ columns: [Column], _ selection: [Int32]) -> Double {
    guard columns.count == 5, case .float64(let eur) = columns[0].values, case .int32(let plusOne) = columns[1].values,
      case .boolean(let large) = columns[2].values, case .int64(let later) = columns[3].values,
      case .int32(let odd) = columns[4].values
    else { return .nan }
    let rows = selection.map(Int.init)
    return BenchExpr.checksum(
      rows.map { eur[$0] }, rows.map { plusOne[$0] }, rows.map { large[$0] }, rows.map { later[$0] },
      rows.map { odd[$0] })
  }
}
