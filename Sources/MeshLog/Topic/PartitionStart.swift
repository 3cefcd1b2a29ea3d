/// Where reading one partition starts, as `Topic.startOffsets(_:partitions:)` decided it.
public struct PartitionStart: Hashable, Sendable {
  /// A group's committed offset that lay outside the log, and the log's range then.
  public struct Reset: Hashable, Sendable {
    public var committed: Offset
    public var start: Offset
    public var end: Offset
  }

  public var partition: Int
  public var offset: Offset
  /// Set when a committed offset was out of range and `offset` is the nearer end instead.
  public var reset: Reset?
  /// Whether `offset` comes from the group's committed offset (reset or not).
  public var fromCommitted: Bool

  public init(partition: Int, offset: Offset, reset: Reset? = nil, fromCommitted: Bool = false) {
    self.partition = partition
    self.offset = offset
    self.reset = reset
    self.fromCommitted = fromCommitted
  }
}
