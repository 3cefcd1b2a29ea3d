public import MeshData

/// `union: [a, b, …]` — the records of every input, each batch given the union's column
/// types (the planner widened the inputs' types to common ones: an int where another
/// input has a long becomes a long). Batches pass in the order the runner reads them:
/// a product's port inputs merged in event-time order; file inputs one after another,
/// with the watermarks after the union held at the minimum over the inputs
/// (`ProductRunner+Watermarks.swift`), so the second input's records are judged against
/// how far it has got, not the first.
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
