import MeshBytes
public import MeshData
public import MeshPlan

/// `dedupe: {key, within}` — lets through the first record of each key and drops the
/// records with the same key whose event time is within `within` after the one let
/// through (for ever without `within`). State: the time each key was last let through,
/// entries dropped once the watermark (the latest event time seen) has passed them by
/// `within`, so memory holds only what the window needs. Deterministic for a given order
/// of input, which the runner fixes (files in path order, records in file order).
public final class DedupeOperator: Operator {
  public let name: String
  private let key: [Int]
  private let eventTime: Int?
  private let unitsPerMillisecond: Int64
  private let within: Int64?
  private var seen: [[UInt8]: Int64] = [:]
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
      if let last = seen[bytes], within.map({ time - last < $0 && time >= last }) ?? true {
        duplicates += 1
        continue
      }
      seen[bytes] = time
      kept.append(Int32(row))
    }
    expire()
    var output = batch
    output.selection = kept
    return OperatorOutput(batches: [output], dropped: duplicates > before ? [name: duplicates - before] : [:])
  }

  public func holdWatermarks(at milliseconds: Int64) { hold = milliseconds }

  private func expire() {
    guard let within, seen.count > 1024 else { return }
    let horizon = min(watermark, hold) &- within
    seen = seen.filter { $0.value >= horizon }
  }

  /// | count (varint) | per key, sorted: key length (varint), key, time (zigzag) | watermark (zigzag) |
  public func snapshot() throws(RunFailure) -> [UInt8] {
    var out = ByteWriter()
    out.writeVarint(UInt64(seen.count))
    for (key, time) in seen.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
      out.writeVarint(UInt64(key.count))
      out.write(key)
      out.writeZigZag(time)
    }
    out.writeZigZag(watermark)
    return out.bytes
  }

  public func restore(_ state: [UInt8]) throws(RunFailure) {
    guard !state.isEmpty else { return }
    var reader = ByteReader(state)
    do throws(ByteReaderError) {
      let count = try reader.readVarint()
      var restored: [[UInt8]: Int64] = [:]
      for _ in 0..<count {
        let length = Int(clamping: try reader.readVarint())
        let key = Array(try reader.readBytes(length))
        restored[key] = try reader.readZigZag()
      }
      watermark = try reader.readZigZag()
      seen = restored
    } catch {
      throw RunFailure("step \(name): its checkpointed state is damaged (\(error))")
    }
  }
}
