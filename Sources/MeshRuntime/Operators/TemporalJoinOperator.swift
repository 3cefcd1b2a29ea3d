public import Foundation
import MeshBytes
public import MeshData
public import MeshPlan
import MeshSchema

/// `join: {kind: stream-table}` — each record of the left side (a stream) joins the rows
/// that the right side (a table: the latest row per primary key of a keyed stream port)
/// held *at the record's event time*, as Flink's event-time temporal joins and Kafka
/// Streams' versioned stores do. The result does not depend on how the two sides' records
/// interleave: a left record waits until the right side's watermark (its latest event time
/// as of the input's last whole batch, minus the allowed lateness) has passed its time, when every table version up to that
/// time is known, and is then joined and emitted. Records that come after their side's
/// watermark are late: counted and dropped. The table keeps, per key, the version in
/// force at the oldest time a left record can still have and the versions after it.
///
/// State: the table's versions as keyed state (`KeyedState`: in memory, or in RocksDB once
/// they outgrow the memory budget), by primary key; the left records waiting, the index
/// from join keys to primary keys and the counters in the snapshot.
public final class TemporalJoinOperator: JoinOperator {
  public let name: String
  private let schema: RecordSchema
  private let columns: [(side: JoinSide, index: Int)]
  private let left: JoinInput
  private let right: JoinInput
  /// The right side's primary key: the fields the upstream port is keyed by.
  private let tableKey: [Int]
  private let keepsUnmatched: Bool
  private let lateness: Int64
  /// The join is on the table's key (the usual case): a key's rows are found directly,
  /// without the index, and versions do not keep their join key.
  private let joinsOnTableKey: Bool

  /// One version of a table row; `row` nil says the key was deleted at `time`.
  fileprivate struct Version {
    var time: Int64
    /// Nil when the join is on the table's key.
    var joinKey: [UInt8]?
    var row: [UInt8]?
  }

  private struct Waiting {
    var time: Int64
    var sequence: Int64
    var joinKey: [UInt8]?
    var row: [UInt8]
  }

  /// A key's versions, oldest first, as keyed state: their count, then per version its
  /// time (zig-zag), join key? and row? (0/1 flag, then length-prefixed bytes).
  fileprivate struct Versions: StateValue {
    var all: [Version]

    init(_ all: [Version]) { self.all = all }

    func encode(to out: inout ByteWriter) {
      out.writeVarint(UInt64(all.count))
      for version in all {
        out.writeZigZag(version.time)
        JoinState.write(optional: version.joinKey, to: &out)
        JoinState.write(optional: version.row, to: &out)
      }
    }

    init(from reader: inout ByteReader) throws(ByteReaderError) {
      all = []
      for _ in 0..<(try reader.readVarint()) {
        all.append(
          Version(
            time: try reader.readZigZag(), joinKey: try JoinState.readOptional(&reader),
            row: try JoinState.readOptional(&reader)))
      }
    }
  }

  /// In memory until `openState` names a place.
  private lazy var table = KeyedState<Versions>(inMemoryFor: name)
  /// Primary keys in the table.
  private var tableKeys = 0
  /// Join key → primary keys that have (or had) a version with it.
  private var index: [StateKey: Set<StateKey>] = [:]
  private var waiting: [Waiting] = []
  private var sequence: Int64 = 0
  /// The latest event times the watermarks stand on: those seen until the last batch
  /// of the input ended (so that the branches of one input batch see one watermark).
  private var leftLatest = Int64.min
  private var rightLatest = Int64.min
  /// The latest event times seen, the batch in hand included.
  private var leftSeen = Int64.min
  private var rightSeen = Int64.min
  public private(set) var lateRecords = 0
  private var versionsSinceSweep = 0

  /// `leftTime` and `rightTime` are the sides' event-time fields (timestamps);
  /// `tableKey` the right side's primary-key fields.
  public init(
    name: String, schema: RecordSchema, plan: JoinPlan, left: RecordSchema, right: RecordSchema,
    leftTime: Int, rightTime: Int, tableKey: [Int]
  ) throws(RunFailure) {
    self.name = name
    self.schema = schema
    columns = plan.columns
    keepsUnmatched = plan.type == .left
    lateness = plan.allowedLatenessMilliseconds
    self.tableKey = tableKey
    joinsOnTableKey = plan.keys.compactMap { $0.right.path.first } == tableKey
    self.left = try JoinInput(left, key: plan.keys.compactMap { $0.left.path.first }, time: leftTime, step: name)
    self.right = try JoinInput(right, key: plan.keys.compactMap { $0.right.path.first }, time: rightTime, step: name)
  }

  public var keepsKeyedState: Bool { true }
  public var keyedStateInRocksDB: Bool { table.spilled }

  public func openState(_ context: StateContext) throws(RunFailure) {
    table = try KeyedState(context, step: name)
  }

  public func checkpointState(into directory: URL) throws(RunFailure) {
    try table.checkpoint(into: directory)
  }

  private var leftWatermark: Int64 { Self.watermark(min(leftLatest, hold), lateness) }
  private var rightWatermark: Int64 { Self.watermark(min(rightLatest, hold), lateness) }
  private static func watermark(_ progress: Int64, _ lateness: Int64) -> Int64 {
    progress == .min ? .min : progress.subtractingSaturated(lateness)
  }

  /// See `Operator.holdWatermarks`: not state, set again before every batch.
  private var hold = Int64.max
  public func holdWatermarks(at milliseconds: Int64) { hold = milliseconds }

  /// Records of the left side (`side == .left`), or rows entering (`deleting` false) or
  /// leaving (`deleting` true: a filter on the table path no longer holds for them) the
  /// table.
  public func process(_ batch: RecordBatch, side: JoinSide, deleting: Bool = false) throws(RunFailure) -> OperatorOutput
  {
    guard side == .right else { return try processLeft(batch) }
    let horizon = self.horizon
    try right.forEachRow(batch, step: name) { row, time, joinKey, bytes throws(RunFailure) in
      guard time >= rightWatermark, time != .min else {
        lateRecords &+= 1
        return
      }
      let primary = JoinInput.key(batch, tableKey, row) ?? []
      let version = Version(time: time, joinKey: joinsOnTableKey ? nil : joinKey, row: deleting ? nil : bytes)
      try insert(version, for: StateKey(primary), horizon: horizon, into: table)
      rightSeen = max(rightSeen, time)
    }
    return try emitReady()
  }

  /// Left records the right watermark has passed already join now, straight from the
  /// batch's columns; the others are kept as bytes and wait.
  private func processLeft(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    let (watermark, leftWatermark) = (rightWatermark, self.leftWatermark)
    var joined = JoinedRows()
    var later: [(row: Int, time: Int64, key: [UInt8]?)] = []
    var (late, seen) = (0, leftSeen)
    var failure: RunFailure?
    left.forEachTimeAndKey(batch) { row, time, key in
      guard failure == nil else { return }
      guard time >= leftWatermark, time != .min else {
        late += 1
        return
      }
      seen = max(seen, time)
      guard time < watermark else {
        later.append((row, time, key.map { Array($0) }))
        return
      }
      do throws(RunFailure) {
        try join(Int32(row), key: key.map(StateKey.init), at: time, in: table, into: &joined)
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
    (lateRecords, leftSeen) = (lateRecords &+ late, seen)
    for (record, bytes) in zip(later, try left.encoded(batch, rows: later.map(\.row), step: name)) {
      waiting.append(Waiting(time: record.time, sequence: sequence, joinKey: record.key, row: bytes))
      sequence &+= 1
    }
    var output = try joined.batch(
      schema, columns: columns, left: left, right: right, leftColumns: batch.columns, step: name)
    output.batches += try emitReady().batches
    return output
  }

  /// Pairs the left row at `leftRow` with each table row matching `key` at `time`.
  private func join(
    _ leftRow: Int32, key: StateKey?, at time: Int64, in table: KeyedState<Versions>, into joined: inout JoinedRows
  ) throws(RunFailure) {
    if joinsOnTableKey {
      // One row at most: found without building a list of them.
      let match = try key.flatMap { (key) throws(RunFailure) in
        try table[key]?.all.last(where: { $0.time <= time })?.row
      }
      if let match {
        joined.pair(left: leftRow, right: joined.addRight(match))
      } else if keepsUnmatched {
        joined.pair(left: leftRow, right: -1)
      }
      return
    }
    let matches = try key.map { (key) throws(RunFailure) in try rows(matching: key, at: time, in: table) } ?? []
    for match in matches { joined.pair(left: leftRow, right: joined.addRight(match)) }
    if matches.isEmpty, keepsUnmatched { joined.pair(left: leftRow, right: -1) }
  }

  /// A batch of the left side's records.
  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    try process(batch, side: .left)
  }

  /// A tombstone of the table's topic: the key `primaryKey` (its text in the log) is
  /// deleted at `time` (milliseconds).
  public func delete(primaryKey: [UInt8], at time: Int64) throws(RunFailure) -> OperatorOutput {
    guard time >= rightWatermark else {
      lateRecords &+= 1
      return OperatorOutput()
    }
    try insert(Version(time: time, joinKey: nil, row: nil), for: StateKey(primaryKey), horizon: horizon, into: table)
    rightSeen = max(rightSeen, time)
    return try emitReady()
  }

  /// The input's batch is through: the watermarks move to what it brought.
  public func endOfBatch() throws(RunFailure) -> OperatorOutput {
    (leftLatest, rightLatest) = (leftSeen, rightSeen)
    let output = try emitReady()
    try table.endOfBatch()
    return output
  }

  private func insert(
    _ version: Version, for primary: StateKey, horizon: Int64, into table: KeyedState<Versions>
  ) throws(RunFailure) {
    // Taken out and set back: changing the array in place copies nothing.
    var versions = try table.take(primary) ?? Versions([])
    if versions.all.isEmpty { tableKeys &+= 1 }
    versions.all.insertInTimeOrder(version)
    trim(&versions.all, horizon: horizon)
    table.set(primary, versions)
    if let joinKey = version.joinKey { index[StateKey(joinKey), default: []].insert(primary) }
    versionsSinceSweep += 1
  }

  /// The oldest event time a left record can still join at: the left watermark, or an
  /// older record still waiting.
  private var horizon: Int64 { waiting.reduce(leftWatermark) { min($0, $1.time) } }

  /// Drops the versions no left record can see any more: those older than the one in
  /// force at the horizon.
  private func trim(_ versions: inout [Version], horizon: Int64) {
    guard let inForce = versions.lastIndex(where: { $0.time <= horizon }), inForce > 0 else { return }
    versions.removeFirst(inForce)
  }

  /// Joins and emits the waiting left records the right watermark has passed, in event
  /// time order (then arrival).
  private func emitReady() throws(RunFailure) -> OperatorOutput {
    let watermark = rightWatermark
    guard waiting.contains(where: { $0.time < watermark }) else { return OperatorOutput() }
    let ready = waiting.filter { $0.time < watermark }.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
    waiting.removeAll { $0.time < watermark }
    var joined = JoinedRows()
    for record in ready {
      try join(
        joined.addLeft(record.row), key: record.joinKey.map(StateKey.init), at: record.time, in: table, into: &joined)
    }
    try sweepIfDue(table)
    return try joined.batch(schema, columns: columns, left: left, right: right, step: name)
  }

  /// The table's rows with this join key at `time`, in primary-key order, for a join on
  /// another key than the table's (`join` finds a row by the table's key itself).
  private func rows(
    matching key: StateKey, at time: Int64, in table: KeyedState<Versions>
  ) throws(RunFailure) -> [[UInt8]] {
    guard let primaries = index[key] else { return [] }
    let joinKey = key.bytes
    var found: [(StateKey, [UInt8])] = []
    for primary in primaries {
      guard let version = try table[primary]?.all.last(where: { $0.time <= time }), let row = version.row,
        version.joinKey == joinKey
      else { continue }
      found.append((primary, row))
    }
    return found.sorted { $0.0.precedes($1.0) }.map(\.1)
  }

  /// Now and then: trims every key, forgets keys deleted before the horizon and index
  /// entries that no version holds, so that state follows the live table.
  private func sweepIfDue(_ table: KeyedState<Versions>) throws(RunFailure) {
    guard versionsSinceSweep > max(4096, tableKeys) else { return }
    versionsSinceSweep = 0
    let horizon = self.horizon
    var changed: [(StateKey, Versions?)] = []
    var joinKeys: [StateKey: Set<StateKey>] = [:]
    try table.forEachEntry { primary, versions in
      var trimmed = versions.all
      trim(&trimmed, horizon: horizon)
      if trimmed.count == 1, trimmed[0].row == nil, trimmed[0].time <= horizon {
        changed.append((primary, nil))
        return
      }
      if trimmed.count != versions.all.count { changed.append((primary, Versions(trimmed))) }
      for joinKey in Set(trimmed.compactMap(\.joinKey)) { joinKeys[StateKey(joinKey), default: []].insert(primary) }
    }
    for (primary, versions) in changed { table.set(primary, versions) }
    tableKeys &-= changed.count { $0.1 == nil }
    if !joinsOnTableKey { index = joinKeys }
  }

  public var tableRows: Int { tableKeys }
  public var waitingRecords: Int { waiting.count }
}

extension TemporalJoinOperator {
  /// 1: the table too (before keyed state); 2: what is not keyed state.
  private static let inlineVersion: UInt64 = 1
  private static let stateVersion: UInt64 = 2

  /// | 2 | left latest, right latest (zigzag) | sequence, late, table keys (varint) | join
  /// keys (varint), per join key in order: the key, its primary keys (varint) and each in
  /// order | waiting, per record: time, sequence, join key?, row | — byte strings
  /// length-prefixed, optional ones after a 0/1 flag.
  public func snapshot() throws(RunFailure) -> [UInt8] {
    var out = ByteWriter()
    out.writeVarint(Self.stateVersion)
    out.writeZigZag(leftSeen)
    out.writeZigZag(rightSeen)
    out.writeVarint(UInt64(clamping: sequence))
    out.writeVarint(UInt64(clamping: lateRecords))
    out.writeVarint(UInt64(clamping: tableKeys))
    out.writeVarint(UInt64(index.count))
    for (joinKey, primaries) in index.sorted(by: { $0.key.precedes($1.key) }) {
      JoinState.write(joinKey.bytes, to: &out)
      out.writeVarint(UInt64(primaries.count))
      for primary in primaries.sorted(by: { $0.precedes($1) }) {
        JoinState.write(primary.bytes, to: &out)
      }
    }
    out.writeVarint(UInt64(waiting.count))
    for record in waiting {
      out.writeZigZag(record.time)
      out.writeVarint(UInt64(clamping: record.sequence))
      JoinState.write(optional: record.joinKey, to: &out)
      JoinState.write(record.row, to: &out)
    }
    return out.bytes
  }

  public func restore(_ state: [UInt8]) throws(RunFailure) {
    guard !state.isEmpty else { return }
    var probe = ByteReader(state)
    let inline = (try? probe.readVarint()) == Self.inlineVersion
    var reader = try JoinState.reader(state, version: inline ? Self.inlineVersion : Self.stateVersion, step: name)
    do throws(ByteReaderError) {
      let leftLatest = try reader.readZigZag()
      let rightLatest = try reader.readZigZag()
      let sequence = Int64(clamping: try reader.readVarint())
      let late = Int(clamping: try reader.readVarint())
      var index: [StateKey: Set<StateKey>] = [:]
      var keys = 0
      if inline {
        // The table itself, which moves into the keyed state.
        for _ in 0..<(try reader.readVarint()) {
          let primary = StateKey(try JoinState.read(&reader))
          let versions = try Versions(from: &reader)
          for joinKey in versions.all.compactMap(\.joinKey) { index[StateKey(joinKey), default: []].insert(primary) }
          table.set(primary, versions)
          keys += 1
        }
      } else {
        keys = Int(clamping: try reader.readVarint())
        for _ in 0..<(try reader.readVarint()) {
          let joinKey = StateKey(try JoinState.read(&reader))
          var primaries = Set<StateKey>()
          for _ in 0..<(try reader.readVarint()) { primaries.insert(StateKey(try JoinState.read(&reader))) }
          index[joinKey] = primaries
        }
      }
      var waiting: [Waiting] = []
      for _ in 0..<(try reader.readVarint()) {
        waiting.append(
          Waiting(
            time: try reader.readZigZag(), sequence: Int64(clamping: try reader.readVarint()),
            joinKey: try JoinState.readOptional(&reader), row: try JoinState.read(&reader)))
      }
      (self.leftLatest, self.rightLatest, self.sequence, lateRecords) = (leftLatest, rightLatest, sequence, late)
      (leftSeen, rightSeen) = (leftLatest, rightLatest)
      (self.index, self.waiting, tableKeys) = (index, waiting, keys)
    } catch {
      throw JoinState.damaged(error, step: name)
    }
  }
}

extension Array where Element == TemporalJoinOperator.Version {
  /// After every version of the same time: of two updates at one time, the later wins.
  fileprivate mutating func insertInTimeOrder(_ version: Element) {
    let position = lastIndex { $0.time <= version.time }.map { $0 + 1 } ?? 0
    insert(version, at: position)
  }
}
