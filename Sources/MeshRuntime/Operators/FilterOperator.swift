public import MeshData
import MeshFormats
public import MeshPlan

/// `filter:` — narrows the batch's selection to the rows for which the condition is
/// TRUE, without copying columns. Rows whose condition cannot be computed (an overflow)
/// go to the dead-letter topic.
public final class FilterOperator: Operator {
  public let name: String
  private let condition: CompiledExpression

  public init(name: String, condition: BoundExpression, keys: KeyRing = KeyRing()) throws(RunFailure) {
    self.name = name
    do {
      self.condition = try CompiledExpression(condition, keys: keys)
    } catch {
      throw RunFailure("step \(name): \(error.description)")
    }
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var context = EvaluationContext()
    var output = batch
    output.selection = condition.selection(batch, &context)
    let failed = context.byRow
    var letters: [DeadLetter] = []
    if !failed.isEmpty {
      let selected = Set(batch.rows)
      letters = DeadLetters.of(batch, rows: failed.keys.filter { selected.contains($0) }.sorted(), step: name) {
        failed[$0] ?? ""
      }
    }
    return OperatorOutput(batches: [output], deadLetters: letters)
  }
}

enum DeadLetters {
  /// The rows of `batch` as dead letters, each record printed in the JSON mapping.
  static func of(_ batch: RecordBatch, rows: [Int], step: String, reason: (Int) -> String) -> [DeadLetter] {
    rows.map { row in
      var one = batch
      one.selection = [Int32(row)]
      var text: [UInt8] = []
      BatchJSON(avro: nil).append(one, to: &text)
      if text.last == UInt8(ascii: "\n") { text.removeLast() }
      return DeadLetter(step: step, reason: reason(row), record: text)
    }
  }
}
