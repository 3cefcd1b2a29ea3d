public import Foundation
import MeshBytes
public import MeshData
public import MeshPlan

/// `dedupe: {key, within}` — lets through the first record of each key and drops the
/// records with the same key whose event time is within `within` after the one let
/// through (for ever without `within`). State: the time each key was last let through, as
/// keyed state (`KeyedState`: in memory, or in RocksDB once it outgrows the memory budget);
/// entries older than the watermark (the latest event time seen) by `within` are swept out
/// now and then — as often as the state has grown by half, so sweeping costs a constant
/// per record. Deterministic for a given order of input, which the runner fixes (files in
/// path order, records in file order).
public final class DedupeOperator: Operator {
  /// The event time a key was last let through.
  struct LastSeen: StateValue {
    var time: Int64
    init(_ time: Int64) { self.time = time }
    func encode(to out: inout ByteWriter) { out.writeZigZag(time) }
    init(from reader: inout ByteReader) throws(ByteReaderError) { time = try reader.readZigZag() }
  }

  public let name: String
  private let key: [Int]
  private let eventTime: Int?
  private let unitsPerMillisecond: Int64
  private let within: Int64?
  /// In memory until `openState` names a place.
  private lazy var seen = KeyedState<LastSeen>(inMemoryFor: name)
  /// Keys in the state, and keys let through since the last sweep.
  private var keys = 0
  private var sinceSweep = 0
  private var watermark = Int64.min
  /// See `Operator.holdWatermarks`: entries are kept until every input is past them.
  private var hold = Int64.max
  public private(set) var duplicates = 0

  /// `key` and `eventTime` are positions in the step's records; `eventTime` must be a
  /// timestamp column when `within` is given.
  public init(
    name: String, schema: RecordSchema, key: [FieldReference], withinMilliseconds: Int64?, eventTime: String?
  )
    throws(RunFailure)
  {
    self.name = name
    self.key = key.compactMap { $0.path.first }
    within = withinMilliseconds
    let time = eventTime.flatMap { schema.index(of: $0) }
    self.eventTime = time
    if let time, case .timestamp(let unit, _) = schema.fields[time].type {
      unitsPerMillisecond = max(1, unit.perSecond / 1000)
    } else if withinMilliseconds != nil {
      throw RunFailure("step \(name): a dedupe within a window needs the records' event time as a timestamp field")
    } else {
      unitsPerMillisecond = 1
    }
  }

  public var keepsKeyedState: Bool { true }
  public var keyedStateInRocksDB: Bool { seen.spilled }

  public func openState(_ context: StateContext) throws(RunFailure) {
    seen = try KeyedState(context, step: name)
  }

  public func checkpointState(into directory: URL) throws(RunFailure) {
    try seen.checkpoint(into: directory)
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var kept: [Int32] = []
    kept.reserveCapacity(batch.count)
    let before = duplicates
    var times: [Int64] = []
    if let eventTime, case .int64(let values) = batch.columns[eventTime].values { times = values }
    for row in batch.rows {
      var bytes: [UInt8] = []
      for (position, column) in key.enumerated() {
        if position > 0 { bytes.append(0x1F) }
        if batch.columns[column].isNull(row) {
          bytes.append(0)
        } else {
          ValueText.append(batch.columns[column], row, to: &bytes)
        }
      }
      let time = row < times.count ? times[row].floorDivided(by: unitsPerMillisecond) : 0
      watermark = max(watermark, time)
      let key = StateKey(bytes)
      let last = try seen[key]?.time
      if let last, within.map({ time &- last < $0 && time >= last }) ?? true {
        duplicates &+= 1
        continue
      }
      if last == nil { keys &+= 1 }
      seen.set(key, LastSeen(time))
      sinceSweep &+= 1
      kept.append(Int32(row))
    }
    try expire(seen)
    try seen.endOfBatch()
    var output = batch
    output.selection = kept
    return OperatorOutput(batches: [output], dropped: duplicates > before ? [name: duplicates - before] : [:])
  }

  public func holdWatermarks(at milliseconds: Int64) { hold = milliseconds }

  private func expire(_ seen: KeyedState<LastSeen>) throws(RunFailure) {
    guard let within, sinceSweep > max(4096, keys / 2) else { return }
    sinceSweep = 0
    let horizon = min(watermark, hold) &- within
    var expired: [StateKey] = []
    try seen.forEachEntry { key, last in if last.time < horizon { expired.append(key) } }
    for key in expired { seen.set(key, nil) }
    keys &-= expired.count
  }

  /// | keys kept inline (varint; 0 since keyed state) | per key: key length (varint), key,
  /// time (zigzag) | watermark (zigzag) | keys, keys since the last sweep (varint) | — the
  /// first two as checkpoints before keyed state wrote them, whose keys move into it.
  public func snapshot() throws(RunFailure) -> [UInt8] {
    var out = ByteWriter()
    out.writeVarint(0)
    out.writeZigZag(watermark)
    out.writeVarint(UInt64(clamping: keys))
    out.writeVarint(UInt64(clamping: sinceSweep))
    return out.bytes
  }

  public func restore(_ snapshot: [UInt8]) throws(RunFailure) {
    guard !snapshot.isEmpty else { return }
    var reader = ByteReader(snapshot)
    do throws(ByteReaderError) {
      let inline = try reader.readVarint()
      var keys = 0
      for _ in 0..<inline {
        let length = Int(clamping: try reader.readVarint())
        let key = StateKey(Array(try reader.readBytes(length)))
        seen.set(key, LastSeen(try reader.readZigZag()))
        keys &+= 1
      }
      watermark = try reader.readZigZag()
      if !reader.isAtEnd {
        keys = Int(clamping: try reader.readVarint())
        sinceSweep = Int(clamping: try reader.readVarint())
      }
      self.keys = keys
    } catch {
      throw RunFailure("step \(name): its checkpointed state is damaged (\(error))")
    }
  }
}
