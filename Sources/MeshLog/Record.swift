/// A record to append: what a producer hands the log. A `nil` value is a tombstone
/// (compaction removes the key once the tombstone's grace period has passed); a `nil`
/// timestamp means "now" by the log's clock.
public struct Record: Hashable, Sendable {
  public var key: [UInt8]?
  public var value: [UInt8]?
  public var headers: [RecordHeader]
  /// Milliseconds since the Unix epoch (event time, as the producer knows it).
  public var timestamp: Int64?

  public init(key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [], timestamp: Int64? = nil) {
    self.key = key
    self.value = value
    self.headers = headers
    self.timestamp = timestamp
  }
}

/// One header of a record: a UTF-8 name and optional bytes, as Kafka's headers are.
/// Names may repeat; their order is kept.
public struct RecordHeader: Hashable, Sendable {
  public var key: String
  public var value: [UInt8]?

  public init(key: String, value: [UInt8]?) {
    self.key = key
    self.value = value
  }
}

/// A record read back from a partition, with the offset and timestamp the log gave it.
public struct StoredRecord: Hashable, Sendable {
  public var offset: Offset
  /// Milliseconds since the Unix epoch.
  public var timestamp: Int64
  public var key: [UInt8]?
  public var value: [UInt8]?
  public var headers: [RecordHeader]

  public init(offset: Offset, timestamp: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader]) {
    self.offset = offset
    self.timestamp = timestamp
    self.key = key
    self.value = value
    self.headers = headers
  }

  /// The record as it was appended (with its timestamp made explicit).
  public var record: Record { Record(key: key, value: value, headers: headers, timestamp: timestamp) }
}
