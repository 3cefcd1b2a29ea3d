public import MeshConnectors

/// Everything a product's run has committed, as of one checkpoint: which files each input
/// consumed, how far each output topic's partitions hold committed records, the offset
/// ranges that attempts which crashed before committing wrote (consumers skip them, as
/// Kafka's read_committed consumers skip aborted transactions), operators' state, and
/// the run's counters. A restart reads the latest checkpoint and nothing else.
///
/// Stored as JSON (`checkpoint-<id>.json`), keys sorted; fields are only ever added, with
/// defaults, so that older checkpoints stay readable.
public struct ProductCheckpoint: Codable, Sendable, Equatable {
  public struct Range: Codable, Sendable, Hashable {
    public var start: Int64
    public var end: Int64
    public init(start: Int64, end: Int64) {
      self.start = start
      self.end = end
    }
  }

  /// A batch file staged by this checkpoint, renamed into place once it commits.
  public struct StagedFile: Codable, Sendable, Hashable {
    public var staging: String
    public var final: String
    public init(staging: String, final: String) {
      self.staging = staging
      self.final = final
    }
  }

  public var id: Int64
  /// Per batch port: the files this checkpoint puts in place (done again by a restart
  /// that finds them staged).
  public var stagedFiles: [String: [StagedFile]] = [:]
  public var inputs: [String: FileTracker]
  /// Port inputs: topic → partition → the next offset to read.
  public var positions: [String: [String: Int64]] = [:]
  /// Topic → partition (as text) → the end offset of what committed.
  public var topicEnds: [String: [String: Int64]]
  /// Topic → partition → ranges of uncommitted records.
  public var aborted: [String: [String: [Range]]]
  /// Operators' snapshots inline, as checkpoints before `stateSteps` kept them (read, no
  /// longer written).
  public var state: [String: [UInt8]]
  /// Steps whose state this checkpoint holds in `state/<id>/<step>/` (see `StateFiles`):
  /// a `snapshot` file, a `store` directory, or both.
  public var stateSteps: [String] = []
  public var counters: [String: Int64]
  /// Per file input: the latest event time (milliseconds) of the records it has read, so
  /// that an input with files still to read holds the others' watermarks where it got.
  public var eventTimes: [String: Int64] = [:]

  public init(
    id: Int64 = 0, inputs: [String: FileTracker] = [:], topicEnds: [String: [String: Int64]] = [:],
    aborted: [String: [String: [Range]]] = [:], state: [String: [UInt8]] = [:], counters: [String: Int64] = [:]
  ) {
    self.id = id
    self.inputs = inputs
    self.topicEnds = topicEnds
    self.aborted = aborted
    self.state = state
    self.counters = counters
  }

  enum CodingKeys: String, CodingKey {
    case id, stagedFiles, inputs, positions, topicEnds, aborted, state, stateSteps, counters, eventTimes
  }

  /// Every field but the id may be missing: checkpoints written before it existed read.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(Int64.self, forKey: .id)
    stagedFiles = try container.decodeIfPresent([String: [StagedFile]].self, forKey: .stagedFiles) ?? [:]
    inputs = try container.decodeIfPresent([String: FileTracker].self, forKey: .inputs) ?? [:]
    positions = try container.decodeIfPresent([String: [String: Int64]].self, forKey: .positions) ?? [:]
    topicEnds = try container.decodeIfPresent([String: [String: Int64]].self, forKey: .topicEnds) ?? [:]
    aborted = try container.decodeIfPresent([String: [String: [Range]]].self, forKey: .aborted) ?? [:]
    state = try container.decodeIfPresent([String: [UInt8]].self, forKey: .state) ?? [:]
    stateSteps = try container.decodeIfPresent([String].self, forKey: .stateSteps) ?? []
    counters = try container.decodeIfPresent([String: Int64].self, forKey: .counters) ?? [:]
    eventTimes = try container.decodeIfPresent([String: Int64].self, forKey: .eventTimes) ?? [:]
  }

  /// Whether a record at `offset` of `topic`'s `partition` belongs to a committed write.
  public func isCommitted(topic: String, partition: Int, offset: Int64) -> Bool {
    guard let end = topicEnds[topic]?[String(partition)], offset < end else { return false }
    return !(aborted[topic]?[String(partition)] ?? []).contains { $0.start <= offset && offset < $0.end }
  }
}
