/// Rows an expression could not compute (an integer overflow, a value out of range):
/// the operator sends those records to the dead-letter topic with the message, and
/// ignores failures of rows the batch does not select.
public struct EvaluationContext: Sendable {
  public struct Failure: Sendable, Equatable {
    public var row: Int
    public var message: String
  }

  public private(set) var failures: [Failure] = []

  public init() {}

  mutating func fail(row: Int, _ message: String) { failures.append(Failure(row: row, message: message)) }

  mutating func append(_ other: EvaluationContext, where keep: (Int) -> Bool = { _ in true }) {
    failures += other.failures.filter { keep($0.row) }
  }

  /// The first failure of each row.
  public var byRow: [Int: String] {
    var result: [Int: String] = [:]
    for failure in failures where result[failure.row] == nil { result[failure.row] = failure.message }
    return result
  }
}
