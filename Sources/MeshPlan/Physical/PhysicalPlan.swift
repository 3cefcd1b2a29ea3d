/// What the runtime executes for a product: operators in an order where each follows
/// those it reads, how records are partitioned before each keyed operator, the state
/// stores keyed operators keep, and where checkpoints cut the flow (every source's
/// position and every sink's commit are part of one checkpoint).
public struct PhysicalPlan: Sendable {
  public var product: String
  public var operators: [PhysicalOperator]
  public var stateStores: [StateStore]

  public init(product: String, operators: [PhysicalOperator], stateStores: [StateStore]) {
    self.product = product
    self.operators = operators
    self.stateStores = stateStores
  }
}

public struct PhysicalOperator: Sendable {
  public enum Kind: String, Sendable {
    case fileSource = "file-source"
    case topicSource = "topic-source"
    case filter, project, dedupe
    case windowAggregate = "window-aggregate"
    case tableAggregate = "table-aggregate"
    case streamTableJoin = "stream-table-join"
    case tableTableJoin = "table-table-join"
    case windowJoin = "window-join"
    case union
    case qualityCheck = "quality-check"
    case topicSink = "topic-sink"
    case fileSink = "file-sink"
    case apiSink = "api-sink"
  }

  /// The logical step or port it runs.
  public var name: String
  public var kind: Kind
  public var inputs: [String]
  /// Records reach it partitioned by these fields (by hash), so that equal keys meet in
  /// one instance; empty when any instance may take any record.
  public var partitionBy: [String]
  /// The state store it keeps, by name.
  public var state: String?
  /// Sources and sinks take part in checkpoints: positions and commits are saved
  /// together with the state, so a restart resumes exactly where the checkpoint was.
  public var checkpointed: Bool

  public init(
    name: String, kind: Kind, inputs: [String], partitionBy: [String] = [], state: String? = nil,
    checkpointed: Bool = false
  ) {
    self.name = name
    self.kind = kind
    self.inputs = inputs
    self.partitionBy = partitionBy
    self.state = state
    self.checkpointed = checkpointed
  }
}

/// Keyed state an operator keeps between records, and how long an entry must live.
public struct StateStore: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable {
    /// Keys seen within the dedupe window.
    case seenKeys = "seen-keys"
    /// Open windows' partial aggregates.
    case windows
    /// The latest aggregate per group, for ever (a table).
    case aggregates
    /// The latest row per key of a table input, with versions back to the watermark.
    case versionedTable = "versioned-table"
    /// Both sides' records within the join window.
    case joinBuffers = "join-buffers"
  }

  public var name: String
  public var kind: Kind
  public var key: [String]
  /// How long after the watermark passes an entry it may be dropped; nil for ever.
  public var retentionMilliseconds: Int64?

  public init(name: String, kind: Kind, key: [String], retentionMilliseconds: Int64?) {
    self.name = name
    self.kind = kind
    self.key = key
    self.retentionMilliseconds = retentionMilliseconds
  }
}
