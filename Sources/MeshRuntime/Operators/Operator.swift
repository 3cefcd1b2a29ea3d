public import MeshData

/// What every operator does (CONVENTIONS.md, "The runtime's shape"): takes a batch and
/// gives batches, takes a watermark, snapshots and restores its state at checkpoint
/// barriers. Operators know nothing of files, topics or the command line; the runner
/// wires them. Not thread-safe: one runner drives an operator.
public protocol Operator: AnyObject {
  /// The step it runs, for counters and dead letters.
  var name: String { get }
  func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput
  /// Event time has reached `watermark` (milliseconds): windows it closes are emitted.
  func advance(watermark: Int64) throws(RunFailure) -> OperatorOutput
  /// The operator's state as bytes for a checkpoint (empty for stateless operators).
  func snapshot() throws(RunFailure) -> [UInt8]
  func restore(_ state: [UInt8]) throws(RunFailure)
}

extension Operator {
  public func advance(watermark: Int64) throws(RunFailure) -> OperatorOutput { OperatorOutput() }
  public func snapshot() throws(RunFailure) -> [UInt8] { [] }
  public func restore(_ state: [UInt8]) throws(RunFailure) {}
}

/// An operator's result: batches for the next step, records for the dead-letter topic,
/// and what it counted.
public struct OperatorOutput: Sendable {
  public var batches: [RecordBatch]
  public var deadLetters: [DeadLetter]
  /// Per quality rule: records that failed it.
  public var failedChecks: [String: Int]
  /// Records removed on purpose (a quality rule's `drop`), by rule.
  public var dropped: [String: Int]
  public var warnings: [String]

  public init(
    batches: [RecordBatch] = [], deadLetters: [DeadLetter] = [], failedChecks: [String: Int] = [:],
    dropped: [String: Int] = [:], warnings: [String] = []
  ) {
    self.batches = batches
    self.deadLetters = deadLetters
    self.failedChecks = failedChecks
    self.dropped = dropped
    self.warnings = warnings
  }
}

/// A record that goes to the product's dead-letter topic: why, where it failed, and the
/// record itself (as a JSON object in the JSON mapping, or the source's raw text).
public struct DeadLetter: Sendable, Equatable {
  public var step: String
  public var reason: String
  /// `file:line:column` for records from files.
  public var source: String?
  public var record: [UInt8]

  public init(step: String, reason: String, source: String? = nil, record: [UInt8]) {
    self.step = step
    self.reason = reason
    self.source = source
    self.record = record
  }
}

/// Why a run stops: a quality rule with `onFail: fail`, an input that cannot be read, an
/// output that cannot be written. Committed work stays; the run exits 1.
public struct RunFailure: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
