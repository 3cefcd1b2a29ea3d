import Foundation
import MeshBytes
public import MeshData
public import MeshPlan

/// `aggregate:` over windows of event time — tumbling, hopping, or sessions (records of a
/// group less than `gap` apart) — per group and window, the measures accumulate until the
/// watermark (the latest event time seen — no later than every input has got — minus the
/// allowed lateness) passes the window's
/// end; then the window's row is emitted and its state dropped. A record for a window
/// already closed is late: counted, and dropped or dead-lettered as the window's `late`
/// says. With `late: update`, a window is emitted as soon as the latest event time passes
/// its end and kept for the allowed lateness, emitted again (corrected, the same key) after
/// each batch that changed it. The watermark moves between input batches, so the records
/// of one batch (the branches of a union) are judged alike. Windows are emitted in order
/// of their end, then of their group.
///
/// State: the open windows as keyed state (`KeyedState`: in memory, or in RocksDB once
/// they outgrow the memory budget) — tumbling and hopping windows keyed by their end, then
/// group, so that those to emit come first in the keys' order; sessions by group. In
/// memory beside it, rebuilt from it at a restart: the count of open windows per end (the
/// few distinct ends say when a window is due), and each group's earliest session end.
public final class WindowAggregateOperator: Operator {
  /// A window of a group within a batch (and in checkpoints of before keyed state).
  struct WindowKey: Hashable, Codable {
    var end: Int64
    var group: [UInt8]

    /// The group's bytes hashed in one call, not byte by byte: once per record.
    func hash(into hasher: inout Hasher) {
      hasher.combine(end)
      hasher.combine(group.count)
      group.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
  }

  /// An open session of a group: from its first record's time to its last's plus the gap.
  struct Session: Codable {
    var start: Int64
    var end: Int64
    var accumulator: Accumulator
  }

  /// The state of checkpoints before keyed state: all of it, as JSON.
  struct InlineState: Codable {
    var windows: [WindowKey: Accumulator] = [:]
    var emitted: Set<WindowKey> = []
    var changed: Set<WindowKey> = []
    var sessions: [[UInt8]: [Session]] = [:]
    var groups: [[UInt8]: [GroupValue]] = [:]
    var maxEventTime = Int64.min
    var late = 0

    /// Fields a checkpoint of an older meshc lacks take their defaults.
    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      windows = try container.decodeIfPresent([WindowKey: Accumulator].self, forKey: .windows) ?? [:]
      emitted = try container.decodeIfPresent(Set<WindowKey>.self, forKey: .emitted) ?? []
      changed = try container.decodeIfPresent(Set<WindowKey>.self, forKey: .changed) ?? []
      sessions = try container.decodeIfPresent([[UInt8]: [Session]].self, forKey: .sessions) ?? [:]
      groups = try container.decodeIfPresent([[UInt8]: [GroupValue]].self, forKey: .groups) ?? [:]
      maxEventTime = try container.decode(Int64.self, forKey: .maxEventTime)
      late = try container.decode(Int.self, forKey: .late)
    }
  }

  private enum Shape {
    case fixed(size: Int64, advance: Int64)
    case sessions(gap: Int64)
  }

  public let name: String
  private let schema: RecordSchema
  private let groupBy: [Int]
  private let eventTime: Int
  private let unitsPerMillisecond: Int64
  private let shape: Shape
  private let lateness: Int64
  private let policy: WindowPlan.LatePolicy
  private let measures: [Measure]
  private let functions: [AggregateFunction]
  /// In memory until `openState` names a place; only the shape's one is used.
  private lazy var windows = KeyedState<WindowState.Window>(inMemoryFor: name)
  private lazy var sessions = KeyedState<WindowState.Sessions>(inMemoryFor: name)
  /// Open windows per end, and with `late: update` the ends of windows to emit again.
  private var openEnds: [Int64: Int] = [:]
  private var changedEnds: Set<Int64> = []
  /// Per group with open sessions, the earliest end; no session ends before the bound.
  private var sessionEnds: [StateKey: Int64] = [:]
  private var earliestSessionEnd = Int64.max
  private var maxEventTime = Int64.min
  private var late = 0
  private static let snapshotVersion: UInt64 = 2
  /// See `Operator.holdWatermarks`: not state, set again before every batch.
  private var hold = Int64.max
  /// The latest event time of the batches since the last `endOfBatch`.
  private var batchMaxEventTime = Int64.min

  public init(
    name: String, schema: RecordSchema, input: RecordSchema, plan: AggregatePlan, eventTime: String?
  )
    throws(RunFailure)
  {
    self.name = name
    self.schema = schema
    guard let window = plan.window else {
      throw RunFailure("step \(name): an aggregate without a window is a table aggregate")
    }
    switch window.kind {
    case .tumbling(let size): shape = .fixed(size: size, advance: size)
    case .hopping(let size, let advance): shape = .fixed(size: size, advance: advance)
    case .session(let gap): shape = .sessions(gap: gap)
    }
    lateness = window.allowedLatenessMilliseconds
    policy = window.late
    groupBy = plan.groupBy.compactMap { $0.path.first }
    guard let (time, unit) = Self.eventTime(eventTime, in: input) else {
      throw RunFailure("step \(name): a window needs the records' event time as a timestamp field")
    }
    self.eventTime = time
    unitsPerMillisecond = unit
    measures = try Measure.compile(plan, step: name)
    functions = measures.map(\.function)
  }

  /// The position of the records' event time (the input's `eventTime` field, or the
  /// first timestamp) and its units per millisecond.
  static func eventTime(_ field: String?, in input: RecordSchema) -> (Int, Int64)? {
    guard
      let time = field.flatMap({ input.index(of: $0) })
        ?? input.fields.firstIndex(where: {
          if case .timestamp = $0.type { true } else { false }
        }), case .timestamp(let unit, _) = input.fields[time].type
    else { return nil }
    return (time, max(1, unit.perSecond / 1000))
  }

  public var keepsKeyedState: Bool { true }
  public var keyedStateInRocksDB: Bool { usesSessions ? sessions.spilled : windows.spilled }

  private var usesSessions: Bool {
    if case .sessions = shape { true } else { false }
  }

  /// Opens the keyed state and rebuilds the indexes beside it (whether a snapshot follows
  /// or not).
  public func openState(_ context: StateContext) throws(RunFailure) {
    if usesSessions {
      sessions = try KeyedState(context, step: name)
    } else {
      windows = try KeyedState(context, step: name)
    }
    try rebuildIndexes()
  }

  public func checkpointState(into directory: URL) throws(RunFailure) {
    if usesSessions { try sessions.checkpoint(into: directory) } else { try windows.checkpoint(into: directory) }
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var context = EvaluationContext()
    let arguments = measures.map { $0.argument?.evaluate(batch, &context) }
    guard case .int64(let times) = batch.columns[eventTime].values else { return OperatorOutput() }
    let lateRows: [Int]
    switch shape {
    case .fixed(let size, let advance):
      lateRows = try addToWindows(batch, times: times, size: size, advance: advance, arguments)
      try windows.endOfBatch()
    case .sessions(let gap):
      lateRows = try addToSessions(batch, times: times, gap: gap, arguments)
      try sessions.endOfBatch()
    }
    guard policy == .deadLetter, !lateRows.isEmpty else { return OperatorOutput() }
    let watermark = watermark
    let letters = DeadLetters.of(batch, rows: lateRows, step: name) { _ in
      "late: its window closed at watermark \(Self.instant(watermark))"
    }
    return OperatorOutput(deadLetters: letters)
  }

  /// The group key of `row`: its group fields' values, encoded so that equal groups
  /// have equal bytes, into `key` (reused from row to row).
  private func groupKey(_ batch: RecordBatch, _ row: Int, into key: inout [UInt8]) {
    key.removeAll(keepingCapacity: true)
    for column in groupBy { GroupValue.appendKey(of: batch.columns[column], row, to: &key) }
  }

  /// Tumbling and hopping windows, a batch at a time: each row finds its windows (starts
  /// at multiples of `advance` within `size` before its time) among the batch's, then
  /// each measure is added over all rows in one loop, and the batch's windows are folded
  /// into the open ones. The rows late for a window they belong to are returned.
  private func addToWindows(
    _ batch: RecordBatch, times: [Int64], size: Int64, advance: Int64, _ arguments: [Column?]
  ) throws(RunFailure) -> [Int] {
    let watermark = watermark
    var slots: [WindowKey: Int32] = [:]
    var firstRows: [Int] = []
    var pairs: [(row: Int32, index: Int32)] = []
    pairs.reserveCapacity(batch.count)
    var rowTimes: [Int64] = []
    var lateRows: [Int] = []
    var key: [UInt8] = []
    var batchMax = batchMaxEventTime
    for row in batch.rows {
      let time = times[row].floorDivided(by: unitsPerMillisecond)
      batchMax = max(batchMax, time)
      groupKey(batch, row, into: &key)
      var late = false
      // Times at the ends of Int64's range have windows past it: late, never a trap.
      let (first, overflow) = time.floorDivided(by: advance).multipliedReportingOverflow(by: advance)
      var start: Int64? = overflow ? nil : first
      if start == nil { late = true }
      while let windowStart = start, windowStart > time.subtractingSaturated(size) {
        let (end, past) = windowStart.addingReportingOverflow(size)
        let (next, before) = windowStart.subtractingReportingOverflow(advance)
        start = before ? nil : next
        if past || end <= watermark {
          late = true
          continue
        }
        let window = WindowKey(end: end, group: key)
        let slot: Int32
        if let known = slots[window] {
          slot = known
        } else {
          slot = Int32(firstRows.count)
          slots[window] = slot
          firstRows.append(row)
        }
        pairs.append((Int32(row), slot))
        rowTimes.append(time)
      }
      if late { lateRows.append(row) }
    }
    batchMaxEventTime = batchMax
    self.late += lateRows.count
    guard !pairs.isEmpty else { return lateRows }
    // One wide accumulator: window `slot`'s measure `m` at `slot * M + m`.
    let count = measures.count
    var wide = Accumulator(measures: firstRows.count * count)
    for (m, measure) in measures.enumerated() {
      let spread = pairs.map { (row: $0.row, index: $0.index * Int32(count) + Int32(m)) }
      guard !wide.addNumbers(arguments[m], measure.function, spread) else { continue }
      for (pair, time) in zip(spread, rowTimes) {
        wide.add(arguments[m], Int(pair.row), time: time, measure.function, at: Int(pair.index))
      }
    }
    for (window, slot) in slots {
      let partial = wide.slot(Int(slot), measures: count)
      let key = WindowState.key(end: window.end, group: window.group)
      // Taken out and set back: changing it in place copies nothing.
      var open: WindowState.Window
      if let kept = try windows.take(key) {
        open = kept
        open.group.accumulator.merge(partial, measures)
        if open.emitted { open.changed = true }
      } else {
        let row = firstRows[Int(slot)]
        open = WindowState.Window(values: groupBy.map { GroupValue(batch.columns[$0], row) }, accumulator: partial)
        openEnds[window.end, default: 0] += 1
      }
      if policy == .update { changedEnds.insert(window.end) }
      windows.set(key, open)
    }
    return lateRows
  }

  /// Session windows, a record at a time (a record may merge sessions).
  private func addToSessions(
    _ batch: RecordBatch, times: [Int64], gap: Int64, _ arguments: [Column?]
  ) throws(RunFailure) -> [Int] {
    var lateRows: [Int] = []
    var group: [UInt8] = []
    for row in batch.rows {
      let time = times[row].floorDivided(by: unitsPerMillisecond)
      batchMaxEventTime = max(batchMaxEventTime, time)
      groupKey(batch, row, into: &group)
      if try !addToSession(batch, row, time: time, group: StateKey(group), gap: gap, arguments) {
        lateRows.append(row)
      }
    }
    return lateRows
  }

  /// Milliseconds since the epoch as ISO 8601, for messages.
  private static func instant(_ milliseconds: Int64) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
  }

  public func endOfBatch() throws(RunFailure) -> OperatorOutput {
    maxEventTime = max(maxEventTime, batchMaxEventTime)
    return OperatorOutput(batches: try emit(), dropped: [:])
  }

  /// The record opens a session [time, time + gap), merged with the group's open
  /// sessions it overlaps; a session whose end the watermark has passed is closed, so a
  /// record that could only have joined one is late (false).
  private func addToSession(
    _ batch: RecordBatch, _ row: Int, time: Int64, group: StateKey, gap: Int64, _ arguments: [Column?]
  ) throws(RunFailure) -> Bool {
    let end = time.addingSaturated(gap)
    guard end > watermark else {
      late += 1
      return false
    }
    var session = Session(start: time, end: end, accumulator: Accumulator(measures: measures.count))
    session.accumulator.add(row, time: time, arguments, functions: functions)
    var state =
      try sessions.take(group)
      ?? WindowState.Sessions(values: groupBy.map { GroupValue(batch.columns[$0], row) }, open: [])
    var kept: [Session] = []
    for open in state.open {
      if open.start < session.end && session.start < open.end {
        session.start = min(session.start, open.start)
        session.end = max(session.end, open.end)
        var merged = open.accumulator
        merged.merge(session.accumulator, measures)
        session.accumulator = merged
      } else {
        kept.append(open)
      }
    }
    kept.append(session)
    state.open = kept.sorted { $0.start < $1.start }
    let earliest = state.earliestEnd ?? end
    sessionEnds[group] = earliest
    earliestSessionEnd = min(earliestSessionEnd, earliest)
    sessions.set(group, state)
    return true
  }

  /// The latest event time seen, held back by inputs that have not got so far.
  private var progress: Int64 { min(maxEventTime, hold) }

  /// Windows that end at or before it are closed: a record for them is late.
  private var watermark: Int64 { progress == .min ? .min : progress.subtractingSaturated(lateness) }

  /// Windows that end at or before it are emitted: the watermark, or with `late: update`
  /// the latest event time.
  private var emitting: Int64 { policy == .update ? progress : watermark }

  public func holdWatermarks(at milliseconds: Int64) { hold = milliseconds }

  /// A window to emit: its bounds, group and measures.
  private struct Closed {
    var start: Int64
    var end: Int64
    var group: [UInt8]
    var values: [GroupValue]
    var accumulator: Accumulator
  }

  /// The windows to emit — those the watermark has passed, and with `late: update` those
  /// the latest event time has passed, again when changed — as one batch of the step's
  /// schema; closed windows leave the state.
  private func emit() throws(RunFailure) -> [RecordBatch] {
    var closed: [Closed] = []
    switch shape {
    case .fixed(let size, _): closed = try closeWindows(size: size)
    case .sessions: closed = try closeSessions()
    }
    guard !closed.isEmpty else { return [] }
    closed.sort {
      $0.end != $1.end
        ? $0.end < $1.end
        : $0.group != $1.group ? $0.group.lexicographicallyPrecedes($1.group) : $0.start < $1.start
    }
    var columns: [[GroupValue]] = Array(repeating: [], count: schema.fields.count)
    for window in closed {
      var field = 0
      for value in window.values {
        columns[field].append(value)
        field += 1
      }
      columns[field].append(.integer(window.start))
      columns[field + 1].append(.integer(window.end))
      field += 2
      for (index, measure) in measures.enumerated() {
        columns[field + index].append(window.accumulator.result(index, measure))
      }
    }
    let bounds = groupBy.count..<(groupBy.count + 2)
    let built = zip(schema.fields, columns).enumerated().map { position, column in
      // Window bounds are milliseconds; a timestamp column may count finer.
      GroupValue.column(
        column.1, type: column.0.type,
        unitsPerMillisecond: bounds.contains(position) ? column.0.type.timeUnitsPerMillisecond : 1)
    }
    return [RecordBatch(schema: schema, columns: built, rowCount: closed.count)]
  }

  /// The tumbling and hopping windows due: read in the keys' order up to the emitting
  /// time, only when a window ends by the watermark or one changed by the emitting time.
  private func closeWindows(size: Int64) throws(RunFailure) -> [Closed] {
    let (watermark, emitting) = (self.watermark, self.emitting)
    guard let earliest = openEnds.keys.min(), earliest <= watermark || changedEnds.contains(where: { $0 <= emitting })
    else { return [] }
    var closed: [Closed] = []
    let limit = emitting == .max ? nil : WindowState.bound(before: emitting + 1)
    try windows.forEachEntry(before: limit) { key, window throws(RunFailure) in
      let (end, group) = WindowState.window(of: key)
      let due = !window.emitted || window.changed
      if due {
        closed.append(
          Closed(
            start: end.subtractingSaturated(size), end: end, group: group, values: window.group.values,
            accumulator: window.group.accumulator))
      }
      if end <= watermark {
        windows.set(key, nil)
        openEnds[end] = openEnds[end].flatMap { $0 > 1 ? $0 - 1 : nil }
      } else if due {
        var emitted = window
        (emitted.emitted, emitted.changed) = (true, false)
        windows.set(key, emitted)
      }
    }
    changedEnds = changedEnds.filter { $0 > emitting }
    return closed
  }

  /// The sessions the watermark has passed, of the groups whose earliest session it has.
  private func closeSessions() throws(RunFailure) -> [Closed] {
    let watermark = self.watermark
    guard earliestSessionEnd <= watermark else { return [] }
    var closed: [Closed] = []
    var next = Int64.max
    for (group, end) in sessionEnds {
      guard end <= watermark else {
        next = min(next, end)
        continue
      }
      guard var state = try sessions.take(group) else {
        sessionEnds[group] = nil
        continue
      }
      for session in state.open where session.end <= watermark {
        closed.append(
          Closed(
            start: session.start, end: session.end, group: group.bytes, values: state.values,
            accumulator: session.accumulator))
      }
      state.open.removeAll { $0.end <= watermark }
      sessionEnds[group] = state.earliestEnd
      if let earliest = state.earliestEnd { next = min(next, earliest) }
      sessions.set(group, state.open.isEmpty ? nil : state)
    }
    earliestSessionEnd = next
    return closed
  }

  public var lateRecords: Int { late }

  /// | 2 | latest event time (zig-zag) | late (varint) |
  public func snapshot() throws(RunFailure) -> [UInt8] {
    var out = ByteWriter()
    out.writeVarint(Self.snapshotVersion)
    out.writeZigZag(maxEventTime)
    out.writeVarint(UInt64(clamping: late))
    return out.bytes
  }

  public func restore(_ bytes: [UInt8]) throws(RunFailure) {
    if bytes.first == UInt8(ascii: "{") {
      try restoreInline(bytes)
    } else if !bytes.isEmpty {
      var reader = try JoinState.reader(bytes, version: Self.snapshotVersion, step: name)
      do throws(ByteReaderError) {
        maxEventTime = try reader.readZigZag()
        late = Int(clamping: try reader.readVarint())
      } catch {
        throw JoinState.damaged(error, step: name)
      }
    }
  }

  /// A checkpoint from before keyed state: its windows and sessions move into keyed state.
  private func restoreInline(_ bytes: [UInt8]) throws(RunFailure) {
    guard let restored = try AggregateState.decode(InlineState.self, from: bytes, step: name) else { return }
    for (key, accumulator) in restored.windows {
      var window = WindowState.Window(values: restored.groups[key.group] ?? [], accumulator: accumulator)
      (window.emitted, window.changed) = (restored.emitted.contains(key), restored.changed.contains(key))
      windows.set(WindowState.key(end: key.end, group: key.group), window)
    }
    for (group, open) in restored.sessions {
      sessions.set(StateKey(group), WindowState.Sessions(values: restored.groups[group] ?? [], open: open))
    }
    (maxEventTime, late) = (restored.maxEventTime, restored.late)
    try rebuildIndexes()
  }

  /// The indexes beside the keyed state, from it; every entry is read, so one of another
  /// shape than the step's (damage: the accumulator's arrays would be indexed past their
  /// end) is found here.
  private func rebuildIndexes() throws(RunFailure) {
    (openEnds, changedEnds, sessionEnds, earliestSessionEnd) = ([:], [], [:], .max)
    let damaged = RunFailure("step \(name): its state is damaged (a window of another shape)")
    func fits(_ values: [GroupValue], _ accumulator: Accumulator) -> Bool {
      values.count == groupBy.count && accumulator.holds(measures: measures.count)
    }
    if usesSessions {
      try sessions.forEachEntry { group, state throws(RunFailure) in
        guard state.open.allSatisfy({ fits(state.values, $0.accumulator) }) else { throw damaged }
        guard let end = state.earliestEnd else { return }
        sessionEnds[group] = end
        earliestSessionEnd = min(earliestSessionEnd, end)
      }
    } else {
      try windows.forEachEntry { key, window throws(RunFailure) in
        guard fits(window.group.values, window.group.accumulator) else { throw damaged }
        let end = WindowState.window(of: key).end
        openEnds[end, default: 0] += 1
        if !window.emitted || window.changed { changedEnds.insert(end) }
      }
    }
  }
}

extension DataType {
  /// Units of a time column per millisecond (1 for other types).
  var timeUnitsPerMillisecond: Int64 {
    switch self {
    case .timestamp(let unit, _), .time(let unit): max(1, unit.perSecond / 1000)
    default: 1
    }
  }
}

/// An aggregate's state in a checkpoint: JSON with sorted keys (windows and groups are
/// few next to the records they sum, and JSON keeps the state readable).
enum AggregateState {
  static func encode<State: Encodable>(_ state: State, step: String) throws(RunFailure) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    do {
      return Array(try encoder.encode(state))
    } catch {
      throw RunFailure("step \(step): its state does not encode: \(error)")
    }
  }

  /// Nil for an empty state (a step that has not checkpointed yet).
  static func decode<State: Decodable>(
    _ type: State.Type, from bytes: [UInt8], step: String
  ) throws(RunFailure)
    -> State?
  {
    guard !bytes.isEmpty else { return nil }
    do {
      return try JSONDecoder().decode(type, from: Data(bytes))
    } catch {
      throw RunFailure("step \(step): its checkpointed state is damaged (\(error))")
    }
  }
}
