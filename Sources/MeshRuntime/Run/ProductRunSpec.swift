public import Foundation
public import MeshConnectors
public import MeshFormats
public import MeshLog
public import MeshPlan
public import MeshSchema

/// What a run of one product needs, from its manifest and plan: the driver builds it, so
/// that the runtime knows nothing of manifests.
public struct ProductRunSpec: Sendable {
  public struct FileInput: Sendable {
    public var name: String
    public var format: FileFormat
    public var glob: PathGlob
    public var schema: Schema
    public var csv: CSVBatchReader.Options
    /// The field whose value is each record's event time (its log timestamp).
    public var eventTime: String?

    public init(
      name: String, format: FileFormat, glob: PathGlob, schema: Schema, csv: CSVBatchReader.Options = .init(),
      eventTime: String?
    ) {
      self.name = name
      self.format = format
      self.glob = glob
      self.schema = schema
      self.csv = csv
      self.eventTime = eventTime
    }
  }

  /// Another product's stream port, read from its topic as that product committed it.
  public struct PortInput: Sendable {
    public var name: String
    public var product: String
    public var topic: String
    public var schema: Schema
    /// The fields the upstream port keys its records by: a table read from it is keyed so.
    public var key: [String]

    public init(name: String, product: String, topic: String, schema: Schema, key: [String] = []) {
      self.name = name
      self.product = product
      self.topic = topic
      self.schema = schema
      self.key = key
    }
  }

  public struct StreamOutput: Sendable {
    public var port: String
    public var step: String
    public var topic: String
    public var key: [String]
    public var schema: Schema
    public var config: TopicConfig
    public var compatibility: CompatibilityMode?

    public init(
      port: String, step: String, topic: String, key: [String], schema: Schema, config: TopicConfig,
      compatibility: CompatibilityMode?
    ) {
      self.port = port
      self.step = step
      self.topic = topic
      self.key = key
      self.schema = schema
      self.config = config
      self.compatibility = compatibility
    }
  }

  public struct BatchOutput: Sendable {
    public var port: String
    public var step: String
    public var format: FileFormat
    /// Relative to the mesh root.
    public var path: String
    public var schema: Schema
    public var partitionBy: (field: String, transform: FileSink.Partitioning.Transform)?

    public init(
      port: String, step: String, format: FileFormat, path: String, schema: Schema,
      partitionBy: (field: String, transform: FileSink.Partitioning.Transform)?
    ) {
      self.port = port
      self.step = step
      self.format = format
      self.path = path
      self.schema = schema
      self.partitionBy = partitionBy
    }
  }

  public var plan: ProductPlan
  public var meshRoot: URL
  public var inputs: [FileInput]
  public var ports: [PortInput] = []
  /// Where the products' checkpoints are: upstream ones say what their topics committed.
  public var productsDirectory: URL?
  /// Read upstream topics past damaged batches and lost records (each one in
  /// `RunSummary.skipped`) instead of failing the run there.
  public var skipsDamage = false
  /// Bytes of keyed state an operator holds in memory; beyond them its state moves to
  /// RocksDB in the state directory (`meshc run --state-memory`).
  public var stateMemoryBudget = 64 << 20
  public var streams: [StreamOutput]
  public var batches: [BatchOutput]
  public var deadLetterTopic: String

  public init(
    plan: ProductPlan, meshRoot: URL, inputs: [FileInput], streams: [StreamOutput], batches: [BatchOutput],
    deadLetterTopic: String
  ) {
    self.plan = plan
    self.meshRoot = meshRoot
    self.inputs = inputs
    self.streams = streams
    self.batches = batches
    self.deadLetterTopic = deadLetterTopic
  }

  public var product: String { plan.product }
}
