import MeshData
import MeshPlan
import MeshPlanner
import MeshRuntime

extension FuzzHarness {
  /// A schema with a field of each kind the expression language computes on.
  static let expressionSchema = RecordSchema(
    name: "F",
    fields: [
      DataField(name: "i", type: .int32, nullable: true), DataField(name: "l", type: .int64, nullable: false),
      DataField(name: "d", type: .float64, nullable: true),
      DataField(name: "m", type: .decimal(precision: 10, scale: 2), nullable: false),
      DataField(name: "s", type: .string, nullable: true), DataField(name: "b", type: .boolean, nullable: true),
      DataField(name: "t", type: .timestamp(.millis, utc: true), nullable: false),
      DataField(name: "day", type: .date, nullable: true),
      DataField(name: "e", type: .enumeration(name: "E", symbols: ["x", "y"]), nullable: false),
      DataField(
        name: "r",
        type: .record(RecordSchema(name: "R", fields: [DataField(name: "c", type: .string, nullable: false)])),
        nullable: true),
    ])

  /// Three rows of that schema, edges included (NULLs, Int64.min, an empty string).
  static let expressionBatch: RecordBatch = {
    var nulls = Bitmap(repeating: true, count: 3)
    nulls[1] = false
    let text = Array("aÜ".utf8)
    let columns = [
      Column(type: .int32, values: .int32([Int32.min, 0, 7]), validity: nulls),
      Column(type: .int64, values: .int64([Int64.min, -1, Int64.max])),
      Column(type: .float64, values: .float64([-0.0, 0, 1e308]), validity: nulls),
      Column(type: .decimal(precision: 10, scale: 2), values: .int64([-99_999_999_99, 0, 12_345])),
      Column(type: .string, values: .binary(offsets: [0, 0, 0, 3], bytes: text), validity: nulls),
      Column(type: .boolean, values: .boolean([true, false, false]), validity: nulls),
      Column(type: .timestamp(.millis, utc: true), values: .int64([-62_135_596_800_000, 0, 253_402_300_799_999])),
      Column(type: .date, values: .int32([-719_162, 0, 2_932_896]), validity: nulls),
      Column(type: .enumeration(name: "E", symbols: ["x", "y"]), values: .int32([0, 1, 0])),
      Column(
        type: expressionSchema.fields[9].type,
        values: .record(
          fields: [Column(type: .string, values: .binary(offsets: [0, 1, 1, 1], bytes: [0x61]))], count: 3),
        validity: nulls),
    ]
    return RecordBatch(schema: expressionSchema, columns: columns, rowCount: 3)
  }()

  /// Any text as an expression: the parser and checker give a value or diagnostics
  /// inside the text, and what checks compiles and evaluates without trapping.
  @Sendable public static func expressions(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let length = text.unicodeScalars.count
    for kind in [StandaloneExpression.Kind.condition, .value] {
      switch StandaloneExpression.check(text, against: expressionSchema, as: kind) {
      case .failure(let findings):
        if findings.diagnostics.isEmpty { violated("an expression failed without a diagnostic") }
        for diagnostic in findings.diagnostics.all {
          guard let range = diagnostic.range, range.start.line == 1, range.start.column >= 1,
            range.start.column <= length + 1
          else { violated("a diagnostic outside the expression: \(diagnostic.message)") }
        }
      case .success(let bound):
        do {
          let compiled = try CompiledExpression(bound, keys: KeyRing(["k": [1, 2, 3]]))
          var context = EvaluationContext()
          let column = compiled.evaluate(expressionBatch, &context)
          if column.count != expressionBatch.rowCount { violated("\(text) gave \(column.count) rows of 3") }
          _ = compiled.selection(expressionBatch, &context)
        } catch .unsupported(let what) {
          violated("the checker accepted what the evaluators cannot run: \(what) in \(text)")
        } catch {
          continue  // a key the ring lacks
        }
      }
    }
  }
}
