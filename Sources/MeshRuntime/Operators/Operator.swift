public import Foundation
public import MeshData
public import MeshPlan

/// What every operator does (CONVENTIONS.md, "The runtime's shape"): takes a batch and
/// gives batches, takes a watermark, snapshots and restores its state at checkpoint
/// barriers. Operators know nothing of files, topics or the command line; the runner
/// wires them. Not thread-safe: one runner drives an operator.
public protocol Operator: AnyObject {
  /// The step it runs, for counters and dead letters.
  var name: String { get }
  func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput
  /// The operator's state as bytes for a checkpoint (empty for stateless operators).
  func snapshot() throws(RunFailure) -> [UInt8]
  func restore(_ state: [UInt8]) throws(RunFailure)
  /// Whether it keeps keyed state in a store (see `KeyedState`) besides its snapshot.
  var keepsKeyedState: Bool { get }
  /// Opens its keyed state, before `restore`.
  func openState(_ context: StateContext) throws(RunFailure)
  /// Writes its keyed state into a checkpoint's `directory` (which does not exist yet).
  func checkpointState(into directory: URL) throws(RunFailure)
  /// Whether its keyed state has moved to RocksDB.
  var keyedStateInRocksDB: Bool { get }
  /// Records that came after their watermark, counted and dropped.
  var lateRecords: Int { get }
  /// A batch of a product input has gone through every step: what waited for the
  /// watermarks to move may go on. Watermarks move between input batches, not within
  /// one, so that the branches of one batch (the two sides of a union) see the same one.
  func endOfBatch() throws(RunFailure) -> OperatorOutput
  /// No input of the product has got past `milliseconds` of event time yet — a file
  /// input with files still to read holds the others back, as a Flink watermark is the
  /// minimum over its inputs — so no watermark may pass it (`Int64.max`: nothing holds).
  /// Set by the runner before each batch.
  func holdWatermarks(at milliseconds: Int64)
}

/// An operator of two inputs: it must know which side a batch comes from.
public protocol JoinOperator: Operator {
  /// `deleting`: the rows leave the side's table (a filter on the way rejected them).
  func process(_ batch: RecordBatch, side: JoinSide, deleting: Bool) throws(RunFailure) -> OperatorOutput
}

extension Operator {
  public var lateRecords: Int { 0 }
  public func endOfBatch() throws(RunFailure) -> OperatorOutput { OperatorOutput() }
  public func snapshot() throws(RunFailure) -> [UInt8] { [] }
  public func restore(_ state: [UInt8]) throws(RunFailure) {}
  public var keepsKeyedState: Bool { false }
  public func openState(_ context: StateContext) throws(RunFailure) {}
  public func checkpointState(into directory: URL) throws(RunFailure) {}
  public var keyedStateInRocksDB: Bool { false }
  public func holdWatermarks(at milliseconds: Int64) {}
}

/// An operator's result: batches for the next step, records for the dead-letter topic,
/// and what it counted.
public struct OperatorOutput: Sendable {
  public var batches: [RecordBatch]
  /// Rows that leave a table the operator keeps (a table-table join's retractions):
  /// handed on before `batches`, as deletions.
  public var deletions: [RecordBatch] = []
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
