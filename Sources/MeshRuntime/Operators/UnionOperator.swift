public import MeshData

/// `union: [a, b, …]` — the records of every input, each batch given the union's column
/// types (the planner widened the inputs' types to common ones: an int where another
/// input has a long becomes a long). Batches pass in the order the runner reads them:
/// a product's port inputs merged in event-time order, so what follows a union sees event
/// time in order; file inputs one after another, so a window after a union of two file
/// inputs counts the second input's records older than the first's watermark late.
public final class UnionOperator: Operator {
  public let name: String
  private let schema: RecordSchema

  public init(name: String, schema: RecordSchema) {
    self.name = name
    self.schema = schema
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    OperatorOutput(batches: [try PortConformance.conform(batch, to: schema)])
  }
}
