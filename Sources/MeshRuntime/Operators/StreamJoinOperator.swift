import HeapModule
import MeshBytes
public import MeshData
public import MeshPlan

/// `join: {kind: stream-stream, within}` — pairs the records of both sides whose keys
/// are equal and whose event times lie within `within` of each other (or, with
/// `between: [a, b]`, whose right time minus left time lies from a to b), as Kafka Streams'
/// and Flink's interval joins do. A pair is emitted when the second of its records
/// arrives; with `type: left` or `full`, a record that found no partner is emitted alone
/// once the other side's watermark has passed the end of its window, when no partner
/// can come any more. Each side's watermark is its latest event time as of the input's
/// last whole batch, minus the allowed lateness; a record older than its side's watermark is late: counted and dropped. So
/// the pairs do not depend on how the two sides interleave, and a record leaves the state
/// as soon as no partner can come: state holds the window plus the lateness.
public final class StreamJoinOperator: JoinOperator {
  public let name: String
  private let schema: RecordSchema
  private let columns: [(side: JoinSide, index: Int)]
  private let left: JoinInput
  private let right: JoinInput
  /// A pair's right time minus its left time lies in `lower...upper`.
  private let lower: Int64
  private let upper: Int64
  private let lateness: Int64
  private let keepsLeft: Bool
  private let keepsRight: Bool

  /// Both sides' records waiting for partners.
  private var held = StreamJoinState()
  /// Per side: the latest event time the watermark stands on (as of the input's last
  /// whole batch), and the latest seen.
  private var latest: [Int64] = [.min, .min]
  private var seen: [Int64] = [.min, .min]
  private var sequence: Int64 = 0
  public private(set) var lateRecords = 0

  public init(
    name: String, schema: RecordSchema, plan: JoinPlan, left: RecordSchema, right: RecordSchema, leftTime: Int,
    rightTime: Int
  ) throws(RunFailure) {
    guard let bounds = plan.boundsMilliseconds ?? plan.withinMilliseconds.map({ (-$0, $0) }) else {
      throw RunFailure("step \(name): a stream-stream join needs 'within' or 'between'")
    }
    self.name = name
    self.schema = schema
    columns = plan.columns
    (lower, upper) = bounds
    lateness = plan.allowedLatenessMilliseconds
    keepsLeft = plan.type != .inner
    keepsRight = plan.type == .full
    self.left = try JoinInput(left, key: plan.keys.compactMap { $0.left.path.first }, time: leftTime, step: name)
    self.right = try JoinInput(right, key: plan.keys.compactMap { $0.right.path.first }, time: rightTime, step: name)
  }

  private func watermark(_ side: Int) -> Int64 {
    let progress = min(latest[side], hold)
    return progress == .min ? .min : progress.subtractingSaturated(lateness)
  }

  /// See `Operator.holdWatermarks`: not state, set again before every batch.
  private var hold = Int64.max
  public func holdWatermarks(at milliseconds: Int64) { hold = milliseconds }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput { try process(batch, side: .left) }

  /// `deleting` is for tables; a stream has no deletions.
  public func process(
    _ batch: RecordBatch, side: JoinSide, deleting: Bool = false
  ) throws(RunFailure)
    -> OperatorOutput
  {
    let mine = side == .left ? 0 : 1
    let other = 1 - mine
    var joined = JoinedRows()
    try (side == .left ? left : right).forEachRow(batch, step: name) { _, time, keyBytes, bytes throws(RunFailure) in
      let key = keyBytes.map(StateKey.init)
      guard time != .min, time >= watermark(mine) else {
        lateRecords += 1
        return
      }
      var matched = false
      let id = key.map { held.id(of: $0) } ?? -1
      if id >= 0 {
        var slot = held.oldestSlot(other, of: id)
        var row: Int32?
        while slot >= 0 {
          let partner = held.records[other][Int(slot)]
          let distance =
            side == .left ? partner.time.subtractingSaturated(time) : time.subtractingSaturated(partner.time)
          if distance >= lower, distance <= upper {
            matched = true
            held.markMatched(other, slot)
            let mineRow = row ?? (side == .left ? joined.addLeft(bytes) : joined.addRight(bytes))
            row = mineRow
            let partnerRow = side == .left ? joined.addRight(partner.row) : joined.addLeft(partner.row)
            if side == .left {
              joined.pair(left: mineRow, right: partnerRow)
            } else {
              joined.pair(left: partnerRow, right: mineRow)
            }
          }
          slot = partner.newer
        }
      }
      held.insert(mine, id: id, time: time, sequence: sequence, row: bytes, matched: matched)
      sequence += 1
      seen[mine] = max(seen[mine], time)
    }
    expire(0, into: &joined)
    expire(1, into: &joined)
    return try joined.batch(schema, columns: columns, left: left, right: right, step: name)
  }

  /// The input's batch is through: the watermarks move to what it brought, and records
  /// no partner can come for any more leave.
  public func endOfBatch() throws(RunFailure) -> OperatorOutput {
    latest = seen
    var joined = JoinedRows()
    expire(0, into: &joined)
    expire(1, into: &joined)
    return try joined.batch(schema, columns: columns, left: left, right: right, step: name)
  }

  /// Drops the records of `side` that no record of the other side can pair with any
  /// more (the latest partner time they take is behind the other's watermark), emitting
  /// those kept alone by an outer join.
  private func expire(_ side: Int, into joined: inout JoinedRows) {
    let horizon = watermark(1 - side)
    guard horizon != .min else { return }
    let keeps = side == 0 ? keepsLeft : keepsRight
    // A left record pairs with right times up to its time + upper; a right record with
    // left times up to its time − lower.
    let reach = side == 0 ? upper : (lower == .min ? .max : -lower)
    while let time = held.oldestTime(side), time.addingSaturated(reach) < horizon,
      let record = held.removeOldest(side)
    {
      guard keeps, !record.matched else { continue }
      if side == 0 {
        joined.pair(left: joined.addLeft(record.row), right: -1)
      } else {
        joined.pair(left: -1, right: joined.addRight(record.row))
      }
    }
  }

  /// Records held, both sides.
  public var bufferedRecords: Int { held.count(0) + held.count(1) }
}

extension StreamJoinOperator {
  private static let stateVersion: UInt64 = 1

  /// | 1 | latest left, right (zigzag) | sequence, late (varint) | per side: records
  /// (varint), per record in arrival order: key? (0/1 flag, length, bytes), time, sequence,
  /// matched (0/1), row (length, bytes) |
  public func snapshot() throws(RunFailure) -> [UInt8] {
    var out = ByteWriter()
    out.writeVarint(Self.stateVersion)
    out.writeZigZag(seen[0])
    out.writeZigZag(seen[1])
    out.writeVarint(UInt64(sequence))
    out.writeVarint(UInt64(lateRecords))
    for side in 0..<2 {
      let entries = held.inArrivalOrder(side)
      out.writeVarint(UInt64(entries.count))
      for (key, entry) in entries {
        JoinState.write(optional: key?.bytes, to: &out)
        out.writeZigZag(entry.time)
        out.writeVarint(UInt64(entry.sequence))
        out.writeVarint(entry.matched ? 1 : 0)
        JoinState.write(entry.row, to: &out)
      }
    }
    return out.bytes
  }

  public func restore(_ state: [UInt8]) throws(RunFailure) {
    guard !state.isEmpty else { return }
    var reader = try JoinState.reader(state, version: Self.stateVersion, step: name)
    do throws(ByteReaderError) {
      let latest = [try reader.readZigZag(), try reader.readZigZag()]
      let sequence = Int64(clamping: try reader.readVarint())
      let late = Int(clamping: try reader.readVarint())
      var held = StreamJoinState()
      for side in 0..<2 {
        for _ in 0..<(try reader.readVarint()) {
          let key = try JoinState.readOptional(&reader).map(StateKey.init)
          let time = try reader.readZigZag()
          let number = Int64(clamping: try reader.readVarint())
          let matched = try reader.readVarint() == 1
          let row = try JoinState.read(&reader)
          held.insert(
            side, id: key.map { held.id(of: $0) } ?? -1, time: time, sequence: number, row: row, matched: matched)
        }
      }
      (self.latest, seen, self.sequence, lateRecords) = (latest, latest, sequence, late)
      self.held = held
    } catch {
      throw JoinState.damaged(error, step: name)
    }
  }
}
