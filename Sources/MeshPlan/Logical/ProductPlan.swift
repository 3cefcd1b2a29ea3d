public import MeshData

/// One product compiled: its steps in an order where each comes after the steps it
/// reads, each with the schema of the records it emits, and its output ports.
public struct ProductPlan: Sendable {
  public var product: String
  public var steps: [PlanStep]
  public var outputs: [PlannedOutput]
  public var checks: [QualityCheck]
  /// What the runtime executes, once lowered (MeshPlanner's Lowering).
  public var physical: PhysicalPlan?

  public init(product: String, steps: [PlanStep], outputs: [PlannedOutput], checks: [QualityCheck]) {
    self.product = product
    self.steps = steps
    self.outputs = outputs
    self.checks = checks
  }

  public func step(named name: String) -> PlanStep? { steps.first { $0.name == name } }
}

/// A node of the dataflow graph: an input or a transform.
public struct PlanStep: Sendable {
  public var name: String
  public var operation: StepOperation
  /// The steps it reads, by name.
  public var inputs: [String]
  public var schema: RecordSchema
  /// One per field of `schema`: where the field's values come from.
  public var lineage: [ColumnLineage]
  /// Whether records carry an event time here (windows and dedupe need one).
  public var hasEventTime: Bool

  public init(
    name: String, operation: StepOperation, inputs: [String], schema: RecordSchema, lineage: [ColumnLineage],
    hasEventTime: Bool
  ) {
    self.name = name
    self.operation = operation
    self.inputs = inputs
    self.schema = schema
    self.lineage = lineage
    self.hasEventTime = hasEventTime
  }
}

public enum StepOperation: Sendable {
  /// Files read by a connector; `eventTime` is the field that holds each record's time.
  case files(format: String, path: String, eventTime: FieldReference?)
  /// Another product's stream port, read from its topic; records keep their log
  /// timestamp as event time.
  case port(product: String, port: String, topic: String)
  case filter(BoundExpression)
  /// One expression per field of the step's schema.
  case select([BoundExpression])
  case dedupe(key: [FieldReference], withinMilliseconds: Int64?)
  case aggregate(AggregatePlan)
  case join(JoinPlan)
  case union
}

public struct AggregatePlan: Sendable {
  public var groupBy: [FieldReference]
  public var window: WindowPlan?
  /// One per measure, after the grouped fields (and window bounds) in the schema.
  public var measures: [BoundExpression]

  public init(groupBy: [FieldReference], window: WindowPlan?, measures: [BoundExpression]) {
    self.groupBy = groupBy
    self.window = window
    self.measures = measures
  }
}

public struct WindowPlan: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    case tumbling(sizeMilliseconds: Int64)
    case hopping(sizeMilliseconds: Int64, advanceMilliseconds: Int64)
    case session(gapMilliseconds: Int64)
  }

  /// What becomes of a record whose window has closed.
  public enum LatePolicy: String, Hashable, Sendable {
    /// Counted and dropped.
    case drop
    /// Counted and sent to the product's dead-letter topic.
    case deadLetter = "dead-letter"
    /// Windows are emitted when the event time passes their end and emitted again,
    /// corrected, for each batch of records that comes within the allowed lateness.
    case update
  }

  public var kind: Kind
  public var allowedLatenessMilliseconds: Int64
  public var late: LatePolicy

  public init(kind: Kind, allowedLatenessMilliseconds: Int64, late: LatePolicy = .drop) {
    self.kind = kind
    self.allowedLatenessMilliseconds = allowedLatenessMilliseconds
    self.late = late
  }
}

public struct JoinPlan: Sendable {
  public enum Kind: String, Sendable {
    case streamStream = "stream-stream"
    case streamTable = "stream-table"
    case tableTable = "table-table"
  }

  /// Which rows without a match are kept: none (inner), the left side's, or both sides'.
  public enum JoinType: String, Sendable {
    case inner, left, full
  }

  public var kind: Kind
  public var type: JoinType
  /// Pairs of key fields: left, right.
  public var keys: [(left: FieldReference, right: FieldReference)]
  public var withinMilliseconds: Int64?
  /// Or: how far before (negative) and after a left record's time a right record's may be.
  public var boundsMilliseconds: (lower: Int64, upper: Int64)?
  /// How far behind its side's latest event time a record may come and still count.
  public var allowedLatenessMilliseconds: Int64
  /// For each field of the step's schema: which side it comes from and its position there.
  public var columns: [(side: JoinSide, index: Int)]

  public init(
    kind: Kind, type: JoinType = .inner, keys: [(left: FieldReference, right: FieldReference)],
    withinMilliseconds: Int64?, allowedLatenessMilliseconds: Int64 = 0, columns: [(side: JoinSide, index: Int)]
  ) {
    self.kind = kind
    self.type = type
    self.keys = keys
    self.withinMilliseconds = withinMilliseconds
    self.allowedLatenessMilliseconds = allowedLatenessMilliseconds
    self.columns = columns
  }
}

public enum JoinSide: String, Hashable, Sendable { case left, right }

/// An output port and the step it publishes.
public struct PlannedOutput: Sendable {
  public var name: String
  public var kind: String
  public var step: String
  /// The topic a stream port writes: `<domain>.<product>.<port>`.
  public var topic: String?
  public var key: [FieldReference]
  /// The contract the port promises, when it declares one.
  public var contract: RecordSchema?
  /// How a batch port lays out its files, when it says.
  public var partitionBy: Partitioning?

  public init(name: String, kind: String, step: String, topic: String?, key: [FieldReference], contract: RecordSchema?)
  {
    self.name = name
    self.kind = kind
    self.step = step
    self.topic = topic
    self.key = key
    self.contract = contract
  }
}

/// Where a column's values come from: the columns of the steps it reads (or of an
/// input's files, or of an upstream product's port) and the functions applied on the way.
public struct ColumnLineage: Hashable, Sendable {
  public var sources: [ColumnSource]
  public var functions: [String]

  public init(sources: [ColumnSource], functions: [String] = []) {
    self.sources = sources
    self.functions = functions
  }

  /// Whether a masking function (sha256, hmac, mask, redact) or an aggregate that hides
  /// single values stands between the sources and the column.
  public var isMasked: Bool {
    functions.contains { name in ScalarFunction(rawValue: name)?.masks ?? false }
  }
}

public struct ColumnSource: Hashable, Sendable, CustomStringConvertible {
  /// A step of the same product, or `product.port` for an upstream port.
  public var step: String
  public var column: String

  public init(step: String, column: String) {
    self.step = step
    self.column = column
  }

  public var description: String { "\(step).\(column)" }
}

/// A quality rule as it runs: on the records of one step that a port publishes.
public struct QualityCheck: Sendable {
  public var name: String
  /// `fail`, `warn` or `dead-letter`.
  public var onFail: String
  public var step: String
  public var condition: BoundExpression

  public init(name: String, onFail: String, step: String, condition: BoundExpression) {
    self.name = name
    self.onFail = onFail
    self.step = step
    self.condition = condition
  }
}

/// A batch port's files by the value of a field, or of a time field cut to a unit.
public struct Partitioning: Hashable, Sendable {
  public enum Transform: String, Hashable, Sendable {
    case identity, year, month, day, hour
  }

  public var field: FieldReference
  public var transform: Transform

  public init(field: FieldReference, transform: Transform) {
    self.field = field
    self.transform = transform
  }

  public var description: String { transform == .identity ? field.description : "\(transform.rawValue)(\(field))" }
}
