public import MeshData
public import MeshPlan

/// `select:` — one compiled expression per output field, evaluated over the whole batch
/// (the selection carries over). Rows an expression cannot compute go to the dead-letter
/// topic and leave the selection.
public final class ProjectOperator: Operator {
  public let name: String
  private let schema: RecordSchema
  private let expressions: [CompiledExpression]

  public init(
    name: String, schema: RecordSchema, expressions: [BoundExpression], keys: KeyRing = KeyRing()
  )
    throws(RunFailure)
  {
    self.name = name
    self.schema = schema
    var compiled: [CompiledExpression] = []
    for expression in expressions {
      do {
        compiled.append(try CompiledExpression(expression, keys: keys))
      } catch {
        throw RunFailure("step \(name): \(error.description)")
      }
    }
    self.expressions = compiled
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var context = EvaluationContext()
    let columns = expressions.map { $0.evaluate(batch, &context) }
    var output = RecordBatch(schema: schema, columns: columns, rowCount: batch.rowCount, selection: batch.selection)
    let failed = context.byRow
    guard !failed.isEmpty else { return OperatorOutput(batches: [output]) }
    let rows = batch.rows
    let letters = DeadLetters.of(batch, rows: rows.filter { failed[$0] != nil }, step: name) { failed[$0] ?? "" }
    output.selection = rows.filter { failed[$0] == nil }.map { Int32($0) }
    return OperatorOutput(batches: [output], deadLetters: letters)
  }
}
