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
///
/// Records are held as rows of columns, one set per side, that each input batch extends
/// and that are compacted once most of their rows have left: pairs are gathered straight
/// from them, never encoded and decoded (only snapshots encode the rows held).
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
  /// Per side: the fields of its records held (and of those that left since the last
  /// compaction), and how many rows that is.
  private var rows: [[ColumnBuffer]]
  private var rowCount = [0, 0]
  /// Rows of records that left a side needs, at least, before its columns are compacted.
  private let compactionFloor: Int
  /// Per side: the latest event time the watermark stands on (as of the input's last
  /// whole batch), and the latest seen.
  private var latest: [Int64] = [.min, .min]
  private var seen: [Int64] = [.min, .min]
  private var sequence: Int64 = 0
  public private(set) var lateRecords = 0

  public init(
    name: String, schema: RecordSchema, plan: JoinPlan, left: RecordSchema, right: RecordSchema, leftTime: Int,
    rightTime: Int, compactionFloor: Int = 65_536
  ) throws(RunFailure) {
    self.compactionFloor = compactionFloor
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
    rows = [try Self.emptyColumns(self.left, step: name), try Self.emptyColumns(self.right, step: name)]
  }

  private static func emptyColumns(_ input: JoinInput, step: String) throws(RunFailure) -> [ColumnBuffer] {
    guard let decoder = BatchDecoder(input.avro) else {
      throw RunFailure("step \(step): the records of \(input.schema.name) cannot be held")
    }
    return decoder.finish().columns.map(ColumnBuffer.init)
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
    compactIfDue(mine)
    var pairs = Pairs(capacity: batch.count)
    var accepted: [Int32] = []
    accepted.reserveCapacity(batch.count)
    // The loop works on locals: a class's stored properties would be checked for
    // exclusive access at every use.
    var held = self.held
    self.held = StreamJoinState()
    var (late, sequence, latestSeen) = (0, self.sequence, seen[mine])
    let (watermark, lower, upper, base) = (self.watermark(mine), self.lower, self.upper, rowCount[mine])
    (side == .left ? left : right).forEachTimeAndKey(batch) { record, time, key in
      guard time != .min, time >= watermark else {
        late += 1
        return
      }
      let row = Int32(base + accepted.count)
      accepted.append(Int32(record))
      var matched = false
      let id = key.map { held.id(of: $0) } ?? -1
      if id >= 0 {
        var slot = held.oldestSlot(other, of: id)
        while slot >= 0 {
          let partner = held.records[Int(slot)]
          let distance =
            side == .left ? partner.time.subtractingSaturated(time) : time.subtractingSaturated(partner.time)
          if distance >= lower, distance <= upper {
            matched = true
            held.markMatched(slot)
            if side == .left {
              pairs.add(left: row, right: partner.row)
            } else {
              pairs.add(left: partner.row, right: row)
            }
          }
          slot = partner.newer
        }
      }
      held.insert(mine, id: id, time: time, sequence: sequence, row: row, matched: matched)
      sequence &+= 1
      latestSeen = max(latestSeen, time)
    }
    held.seal(mine)
    self.held = held
    (lateRecords, self.sequence, seen[mine]) = (lateRecords &+ late, sequence, latestSeen)
    if !accepted.isEmpty {
      if rowCount[mine] == 0 {
        rows[mine] = batch.columns.map { ColumnBuffer($0.gathered(accepted)) }
      } else {
        for (index, column) in batch.columns.enumerated() where index < rows[mine].count {
          rows[mine][index].append(column.gathered(accepted))
        }
      }
      rowCount[mine] += accepted.count
    }
    expire(0, into: &pairs)
    expire(1, into: &pairs)
    return output(pairs)
  }

  /// Joined rows as row numbers of each side's columns (-1: none, its fields null).
  private struct Pairs {
    var left: [Int32] = []
    var right: [Int32] = []
    init(capacity: Int = 0) {
      left.reserveCapacity(capacity)
      right.reserveCapacity(capacity)
    }
    mutating func add(left leftRow: Int32, right rightRow: Int32) {
      left.append(leftRow)
      right.append(rightRow)
    }
  }

  private func output(_ pairs: Pairs) -> OperatorOutput {
    guard !pairs.left.isEmpty else { return OperatorOutput() }
    let joined = columns.map { column in
      column.side == .left
        ? rows[0][column.index].gathered(pairs.left) : rows[1][column.index].gathered(pairs.right)
    }
    return OperatorOutput(batches: [RecordBatch(schema: schema, columns: joined, rowCount: pairs.left.count)])
  }

  /// Once most of a side's rows belong to records that left, the held ones are gathered
  /// into fresh columns (the cost spread over the records that left since the last time).
  private func compactIfDue(_ side: Int) {
    let live = held.count(side)
    guard rowCount[side] - live > max(compactionFloor, live) else { return }
    let kept = held.heldRows(side).sorted()
    var renumbered = [Int32](repeating: -1, count: rowCount[side])
    for (position, row) in kept.enumerated() { renumbered[Int(row)] = Int32(position) }
    rows[side] = rows[side].map { ColumnBuffer($0.gathered(kept)) }
    rowCount[side] = kept.count
    held.renumberRows(side, renumbered)
  }

  /// The input's batch is through: the watermarks move to what it brought, and records
  /// no partner can come for any more leave.
  public func endOfBatch() throws(RunFailure) -> OperatorOutput {
    latest = seen
    var pairs = Pairs()
    expire(0, into: &pairs)
    expire(1, into: &pairs)
    return output(pairs)
  }

  /// Drops the records of `side` that no record of the other side can pair with any
  /// more (the latest partner time they take is behind the other's watermark), emitting
  /// those kept alone by an outer join.
  private func expire(_ side: Int, into pairs: inout Pairs) {
    let horizon = watermark(1 - side)
    guard horizon != .min else { return }
    let keeps = side == 0 ? keepsLeft : keepsRight
    // A left record pairs with right times up to its time + upper; a right record with
    // left times up to its time − lower.
    let reach = side == 0 ? upper : (lower == .min ? .max : -lower)
    for record in held.removeAll(side, before: horizon.subtractingSaturated(reach)) {
      guard keeps, !record.matched else { continue }
      if side == 0 { pairs.add(left: record.row, right: -1) } else { pairs.add(left: -1, right: record.row) }
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
      let input = side == 0 ? left : right
      let encoded = try input.encoded(
        RecordBatch(schema: input.schema, columns: rows[side].map(\.column), rowCount: rowCount[side]),
        rows: entries.map { Int($0.record.row) }, step: name)
      out.writeVarint(UInt64(entries.count))
      for (held, row) in zip(entries, encoded) {
        JoinState.write(optional: held.key, to: &out)
        out.writeZigZag(held.record.time)
        out.writeVarint(UInt64(clamping: held.sequence))
        out.writeVarint(held.record.matched ? 1 : 0)
        JoinState.write(row, to: &out)
      }
    }
    return out.bytes
  }

  public func restore(_ state: [UInt8]) throws(RunFailure) {
    guard !state.isEmpty else { return }
    var reader = try JoinState.reader(state, version: Self.stateVersion, step: name)
    guard let leftDecoder = BatchDecoder(left.avro), let rightDecoder = BatchDecoder(right.avro) else {
      throw RunFailure("step \(name): its records cannot be read back")
    }
    let decoders = [leftDecoder, rightDecoder]
    do throws(ByteReaderError) {
      let latest = [try reader.readZigZag(), try reader.readZigZag()]
      let sequence = Int64(clamping: try reader.readVarint())
      let late = Int(clamping: try reader.readVarint())
      var held = StreamJoinState()
      var rows: [[ColumnBuffer]] = []
      var counts = [0, 0]
      for side in 0..<2 {
        let decoder = decoders[side]
        for _ in 0..<(try reader.readVarint()) {
          let key = try JoinState.readOptional(&reader)
          let time = try reader.readZigZag()
          let number = Int64(clamping: try reader.readVarint())
          let matched = try reader.readVarint() == 1
          let row = try JoinState.read(&reader)
          // A row that does not decode is damage, as a cut length is.
          guard (try? decoder.append(row)) != nil else { throw ByteReaderError.unexpectedValue(offset: reader.offset) }
          held.insert(
            side, id: key.map { held.id(of: $0) } ?? -1, time: time, sequence: number, row: Int32(counts[side]),
            matched: matched)
          counts[side] += 1
        }
        held.seal(side)
        rows.append(decoder.finish().columns.map(ColumnBuffer.init))
      }
      (self.latest, seen, self.sequence, lateRecords) = (latest, latest, sequence, late)
      (self.held, self.rows, rowCount) = (held, rows, counts)
    } catch {
      throw JoinState.damaged(error, step: name)
    }
  }
}
