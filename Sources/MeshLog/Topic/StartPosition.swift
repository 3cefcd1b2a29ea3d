/// Where a consumer starts reading each partition of a topic, as Kafka's consumers
/// choose it: `Topic.startOffsets(_:partitions:)` resolves it to an offset per partition.
public enum StartPosition: Hashable, Sendable {
  /// The first record still in the log.
  case earliest
  /// The end: only records appended from now on.
  case latest
  /// This offset, which must lie in `startOffset...endOffset` (else `offsetOutOfRange`).
  case offset(Offset)
  /// The first record whose timestamp (milliseconds since the epoch) is at or after
  /// this one, found through the time index; the end when there is none.
  case time(milliseconds: Int64)
  /// The consumer group's committed offset; `otherwise` where the group committed none
  /// for a partition. A committed offset the log no longer holds (retention deleted it,
  /// or the topic was recreated shorter) resets to the nearer end of the log.
  case committed(group: String, otherwise: Fallback)

  /// Where a group without a committed offset starts.
  public enum Fallback: Hashable, Sendable {
    case earliest, latest
  }
}
