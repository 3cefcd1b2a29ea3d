public import Foundation
import MeshBytes
public import MeshData
public import MeshPlan

/// `join: {kind: table-table}` — both sides are tables (the latest row per primary key of
/// a keyed stream port); the result is a table too, kept up to date as a changelog: a
/// row that enters or changes on either side emits the joined rows it now makes, after
/// retracting (as deletions) the ones it made before; a row that leaves retracts its
/// joined rows. The join is on the key, or on a foreign key of the left table (several
/// left rows to one right row). `type: left` keeps left rows without a partner, `full`
/// both sides' (the other side's fields null), and retracts them once a partner comes.
/// The table it converges to is the join of the two sides' latest rows, whatever the
/// order of the changes.
///
/// State: both sides' current rows as keyed state (`KeyedState`: in memory, or in RocksDB
/// once they outgrow the memory budget), keyed by the side and the primary key; the index
/// from join keys to primary keys, and the row counts, in the snapshot.
public final class TableJoinOperator: JoinOperator {
  public let name: String
  private let schema: RecordSchema
  private let columns: [(side: JoinSide, index: Int)]
  private let sides: [JoinInput]
  /// Per side: the primary-key fields (the upstream port's key).
  private let primaryKeys: [[Int]]
  private let keepsUnmatched: [Bool]
  /// A full join's key fields: output position → the right's field (a row without a left
  /// side takes its key from the right).
  private let coalescing: [Int: Int]

  fileprivate struct Row: StateValue {
    var joinKey: StateKey?
    var time: Int64
    var bytes: [UInt8]

    init(joinKey: StateKey?, time: Int64, bytes: [UInt8]) {
      self.joinKey = joinKey
      self.time = time
      self.bytes = bytes
    }

    /// Join key? (0/1 flag first), event time (zig-zag varint), row — byte strings
    /// length-prefixed.
    func encode(to out: inout ByteWriter) {
      JoinState.write(optional: joinKey?.bytes, to: &out)
      out.writeZigZag(time)
      JoinState.write(bytes, to: &out)
    }

    init(from reader: inout ByteReader) throws(ByteReaderError) {
      joinKey = try JoinState.readOptional(&reader).map(StateKey.init)
      time = try reader.readZigZag()
      bytes = try JoinState.read(&reader)
    }
  }

  /// Side (0 left, 1 right) and primary key → the current row.
  /// In memory until `openState` names a place.
  private lazy var rows = KeyedState<Row>(inMemoryFor: name)
  /// Per side: rows held.
  private var rowCounts = [0, 0]
  /// Per side: join key → primary keys with it.
  private var index: [[StateKey: Set<StateKey>]] = [[:], [:]]

  public init(
    name: String, schema: RecordSchema, plan: JoinPlan, left: RecordSchema, right: RecordSchema,
    leftKey: [Int], rightKey: [Int], leftTime: Int, rightTime: Int
  ) throws(RunFailure) {
    self.name = name
    self.schema = schema
    columns = plan.columns
    sides = [
      try JoinInput(left, key: plan.keys.compactMap { $0.left.path.first }, time: leftTime, step: name),
      try JoinInput(right, key: plan.keys.compactMap { $0.right.path.first }, time: rightTime, step: name),
    ]
    primaryKeys = [leftKey, rightKey]
    keepsUnmatched = [plan.type != .inner, plan.type == .full]
    var coalescing: [Int: Int] = [:]
    if plan.type == .full {
      for key in plan.keys {
        guard let leftField = key.left.path.first, let rightField = key.right.path.first,
          let position = plan.columns.firstIndex(where: { $0.side == .left && $0.index == leftField })
        else { continue }
        coalescing[position] = rightField
      }
    }
    self.coalescing = coalescing
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    try process(batch, side: .left, deleting: false)
  }

  public var keepsKeyedState: Bool { true }
  public var keyedStateInRocksDB: Bool { rows.spilled }

  public func openState(_ context: StateContext) throws(RunFailure) {
    rows = try KeyedState(context, step: name)
  }

  public func checkpointState(into directory: URL) throws(RunFailure) {
    try rows.checkpoint(into: directory)
  }

  private static func stateKey(_ side: Int, _ primary: StateKey) -> StateKey {
    StateKey([UInt8(side)] + primary.bytes)
  }

  private func row(_ side: Int, _ primary: StateKey) throws(RunFailure) -> Row? {
    try rows[Self.stateKey(side, primary)]
  }

  private func setRow(_ side: Int, _ primary: StateKey, _ row: Row?) throws(RunFailure) {
    rows.set(Self.stateKey(side, primary), row)
  }

  public func process(_ batch: RecordBatch, side: JoinSide, deleting: Bool) throws(RunFailure) -> OperatorOutput {
    let mine = side == .left ? 0 : 1
    var changes = Changes()
    try sides[mine].forEachRow(batch, step: name) { row, time, joinKey, bytes throws(RunFailure) in
      let primary = StateKey(JoinInput.key(batch, primaryKeys[mine], row) ?? [])
      // A version older than the current row came late: the table stays as it is.
      if let current = try self.row(mine, primary), current.time > time { return }
      try change(
        side: mine, primary: primary,
        to: deleting ? nil : Row(joinKey: joinKey.map(StateKey.init), time: time, bytes: bytes), into: &changes)
    }
    try rows.endOfBatch()
    return try output(changes)
  }

  /// A tombstone of one side's topic: the key `primaryKey` (its text in the log) leaves,
  /// whatever the time of its row.
  public func delete(primaryKey: [UInt8], side: JoinSide) throws(RunFailure) -> OperatorOutput {
    var changes = Changes()
    try change(side: side == .left ? 0 : 1, primary: StateKey(primaryKey), to: nil, into: &changes)
    return try output(changes)
  }

  /// A joined row is named by the primary keys of its two rows (nil for a side it lacks).
  private struct Identity: Hashable {
    var left: StateKey?
    var right: StateKey?
  }

  /// What a batch of changes did to the joined rows, netted per joined row: the row it
  /// was before the batch is retracted and the row it is after is made, nothing when the
  /// two are the same. Retractions are published before the rows made, so that a new row
  /// under the key of a retracted one stays.
  private struct Changes {
    typealias Sides = (left: [UInt8]?, right: [UInt8]?)
    var order: [Identity] = []
    var net: [Identity: (before: Sides?, after: Sides?)] = [:]

    /// `change` always retracts a joined row before it makes it again, so the first
    /// record of a row says whether it was there before the batch.
    mutating func record(_ identity: Identity, retracted: Bool, left: [UInt8]?, right: [UInt8]?) {
      let sides = (left, right)
      if let known = net[identity] {
        net[identity] = (known.before, retracted ? nil : sides)
      } else {
        order.append(identity)
        net[identity] = retracted ? (sides, nil) : (nil, sides)
      }
    }
  }

  private func output(_ changes: Changes) throws(RunFailure) -> OperatorOutput {
    var made = JoinedRows()
    var retracted = JoinedRows()
    func add(_ sides: Changes.Sides, to rows: inout JoinedRows) {
      let left = sides.left.map { rows.addLeft($0) } ?? -1
      let right = sides.right.map { rows.addRight($0) } ?? -1
      rows.pair(left: left, right: right)
    }
    for identity in changes.order {
      guard let net = changes.net[identity] else { continue }
      if let before = net.before, let after = net.after, before.left == after.left, before.right == after.right {
        continue
      }
      if let before = net.before { add(before, to: &retracted) }
      if let after = net.after { add(after, to: &made) }
    }
    var output = try made.batch(
      schema, columns: columns, left: sides[0], right: sides[1], coalescing: coalescing, step: name)
    output.deletions =
      try retracted.batch(
        schema, columns: columns, left: sides[0], right: sides[1], coalescing: coalescing, step: name
      ).batches
    return output
  }

  /// The row of `primary` on `side` becomes `new` (nil: it leaves): its joined rows are
  /// retracted, then made again from the new row.
  private func change(side: Int, primary: StateKey, to new: Row?, into changes: inout Changes) throws(RunFailure) {
    let other = 1 - side
    if let old = try row(side, primary) {
      let partners = try partners(of: old, on: other)
      record(primary, old, partners, side: side, retracted: true, into: &changes)
      try setRow(side, primary, nil)
      rowCounts[side] &-= 1
      if let key = old.joinKey {
        index[side][key]?.remove(primary)
        if index[side][key]?.isEmpty ?? false { index[side][key] = nil }
      }
      // Partners that had only this row now stand alone, if their side keeps such rows.
      if keepsUnmatched[other], let key = old.joinKey, index[side][key] == nil {
        for partner in partners { alone(partner, side: other, retracted: false, into: &changes) }
      }
    }
    guard let new else { return }
    let partners = try partners(of: new, on: other)
    // Partners that stood alone stand alone no more.
    if keepsUnmatched[other], let key = new.joinKey, index[side][key] == nil {
      for partner in partners { alone(partner, side: other, retracted: true, into: &changes) }
    }
    try setRow(side, primary, new)
    rowCounts[side] &+= 1
    if let key = new.joinKey { index[side][key, default: []].insert(primary) }
    record(primary, new, partners, side: side, retracted: false, into: &changes)
  }

  /// The rows of `side` whose join key is `row`'s, in primary-key order.
  private func partners(of row: Row, on side: Int) throws(RunFailure) -> [(primary: StateKey, bytes: [UInt8])] {
    guard let key = row.joinKey, let primaries = index[side][key] else { return [] }
    var partners: [(primary: StateKey, bytes: [UInt8])] = []
    for primary in primaries.sorted(by: { $0.precedes($1) }) {
      if let partner = try self.row(side, primary) { partners.append((primary, partner.bytes)) }
    }
    return partners
  }

  /// The joined rows of `row` (on `side`) with its partners, or it alone when it has none
  /// and its side keeps such rows.
  private func record(
    _ primary: StateKey, _ row: Row, _ partners: [(primary: StateKey, bytes: [UInt8])], side: Int, retracted: Bool,
    into changes: inout Changes
  ) {
    if partners.isEmpty {
      if keepsUnmatched[side] { alone((primary, row.bytes), side: side, retracted: retracted, into: &changes) }
      return
    }
    for partner in partners {
      if side == 0 {
        changes.record(
          Identity(left: primary, right: partner.primary), retracted: retracted, left: row.bytes, right: partner.bytes)
      } else {
        changes.record(
          Identity(left: partner.primary, right: primary), retracted: retracted, left: partner.bytes, right: row.bytes)
      }
    }
  }

  private func alone(
    _ row: (primary: StateKey, bytes: [UInt8]), side: Int, retracted: Bool, into changes: inout Changes
  ) {
    if side == 0 {
      changes.record(Identity(left: row.primary, right: nil), retracted: retracted, left: row.bytes, right: nil)
    } else {
      changes.record(Identity(left: nil, right: row.primary), retracted: retracted, left: nil, right: row.bytes)
    }
  }

  public var tableRows: Int { rowCounts[0] + rowCounts[1] }
}

extension TableJoinOperator {
  /// 1: the rows too (before keyed state); 2: what is not keyed state.
  private static let inlineVersion: UInt64 = 1
  private static let stateVersion: UInt64 = 2

  /// | 2 | per side: rows (varint), join keys (varint), per join key in order: the key,
  /// its primary keys (varint) and each in order | — byte strings length-prefixed.
  public func snapshot() throws(RunFailure) -> [UInt8] {
    var out = ByteWriter()
    out.writeVarint(Self.stateVersion)
    for side in 0..<2 {
      out.writeVarint(UInt64(clamping: rowCounts[side]))
      out.writeVarint(UInt64(index[side].count))
      for (key, primaries) in index[side].sorted(by: { $0.key.precedes($1.key) }) {
        JoinState.write(key.bytes, to: &out)
        out.writeVarint(UInt64(primaries.count))
        for primary in primaries.sorted(by: { $0.precedes($1) }) {
          JoinState.write(primary.bytes, to: &out)
        }
      }
    }
    return out.bytes
  }

  public func restore(_ state: [UInt8]) throws(RunFailure) {
    guard !state.isEmpty else { return }
    var probe = ByteReader(state)
    guard (try? probe.readVarint()) != Self.inlineVersion else { return try restoreInline(state) }
    var reader = try JoinState.reader(state, version: Self.stateVersion, step: name)
    do throws(ByteReaderError) {
      var counts = [0, 0]
      var index: [[StateKey: Set<StateKey>]] = [[:], [:]]
      for side in 0..<2 {
        counts[side] = Int(clamping: try reader.readVarint())
        for _ in 0..<(try reader.readVarint()) {
          let key = StateKey(try JoinState.read(&reader))
          var primaries = Set<StateKey>()
          for _ in 0..<(try reader.readVarint()) { primaries.insert(StateKey(try JoinState.read(&reader))) }
          index[side][key] = primaries
        }
      }
      (rowCounts, self.index) = (counts, index)
    } catch {
      throw JoinState.damaged(error, step: name)
    }
  }

  /// A checkpoint from before keyed state: | 1 | per side: rows (varint), per row in key
  /// order: primary key, then the row as `Row` encodes it |. Its rows move into the keyed state.
  private func restoreInline(_ state: [UInt8]) throws(RunFailure) {
    var reader = try JoinState.reader(state, version: Self.inlineVersion, step: name)
    do throws(ByteReaderError) {
      for side in 0..<2 {
        for _ in 0..<(try reader.readVarint()) {
          let primary = StateKey(try JoinState.read(&reader))
          let row = try Row(from: &reader)
          rows.set(Self.stateKey(side, primary), row)
          rowCounts[side] &+= 1
          if let joinKey = row.joinKey { index[side][joinKey, default: []].insert(primary) }
        }
      }
    } catch {
      throw JoinState.damaged(error, step: name)
    }
  }
}
