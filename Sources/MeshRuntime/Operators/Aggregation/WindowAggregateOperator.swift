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
/// of one batch (the branches of a union) are judged alike. State is checkpointed, so a
/// restart continues the open windows. Windows are emitted in order of their end, then of
/// their group.
public final class WindowAggregateOperator: Operator {
  struct WindowKey: Hashable, Codable, Comparable {
    var end: Int64
    var group: [UInt8]
    static func < (a: WindowKey, b: WindowKey) -> Bool {
      a.end != b.end ? a.end < b.end : a.group.lexicographicallyPrecedes(b.group)
    }

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

  struct State: Codable {
    /// Tumbling and hopping windows.
    var windows: [WindowKey: Accumulator] = [:]
    /// Of those, the ones emitted already and kept for updates (`late: update`), and the
    /// ones of them changed since.
    var emitted: Set<WindowKey> = []
    var changed: Set<WindowKey> = []
    /// Session windows: per group, its open sessions, which never overlap.
    var sessions: [[UInt8]: [Session]] = [:]
    /// Each group's values, to emit with its windows.
    var groups: [[UInt8]: [GroupValue]] = [:]
    var maxEventTime = Int64.min
    var late = 0

    init() {}

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
  private var state = State()
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

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var context = EvaluationContext()
    let arguments = measures.map { $0.argument?.evaluate(batch, &context) }
    guard case .int64(let times) = batch.columns[eventTime].values else { return OperatorOutput() }
    let lateRows: [Int]
    switch shape {
    case .fixed(let size, let advance):
      lateRows = addToWindows(batch, times: times, size: size, advance: advance, arguments)
    case .sessions(let gap): lateRows = addToSessions(batch, times: times, gap: gap, arguments)
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
  ) -> [Int] {
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
      var start = time.floorDivided(by: advance) * advance
      while start > time - size {
        let window = WindowKey(end: start + size, group: key)
        start -= advance
        if window.end <= watermark {
          late = true
          continue
        }
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
    state.late += lateRows.count
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
      if let index = state.windows.index(forKey: window) {
        state.windows.values[index].merge(partial, measures)
      } else {
        state.windows[window] = partial
      }
      if state.emitted.contains(window) { state.changed.insert(window) }
      if state.groups[window.group] == nil {
        let row = firstRows[Int(slot)]
        state.groups[window.group] = groupBy.map { GroupValue(batch.columns[$0], row) }
      }
    }
    return lateRows
  }

  /// Session windows, a record at a time (a record may merge sessions).
  private func addToSessions(_ batch: RecordBatch, times: [Int64], gap: Int64, _ arguments: [Column?]) -> [Int] {
    var lateRows: [Int] = []
    for row in batch.rows {
      let time = times[row].floorDivided(by: unitsPerMillisecond)
      batchMaxEventTime = max(batchMaxEventTime, time)
      var group: [UInt8] = []
      groupKey(batch, row, into: &group)
      let (added, late) = addToSession(row, time: time, group: group, gap: gap, arguments)
      if added, state.groups[group] == nil { state.groups[group] = groupBy.map { GroupValue(batch.columns[$0], row) } }
      if late { lateRows.append(row) }
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
    state.maxEventTime = max(state.maxEventTime, batchMaxEventTime)
    return OperatorOutput(batches: emit(), dropped: [:])
  }

  /// The record opens a session [time, time + gap), merged with the group's open
  /// sessions it overlaps; a session whose end the watermark has passed is closed, so a
  /// record that could only have joined one is late.
  private func addToSession(
    _ row: Int, time: Int64, group: [UInt8], gap: Int64, _ arguments: [Column?]
  ) -> (added: Bool, late: Bool) {
    let end = time.addingSaturated(gap)
    guard end > watermark else {
      state.late += 1
      return (false, true)
    }
    var session = Session(start: time, end: end, accumulator: Accumulator(measures: measures.count))
    session.accumulator.add(row, time: time, arguments, measures)
    var kept: [Session] = []
    for open in state.sessions[group] ?? [] {
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
    state.sessions[group] = kept.sorted { $0.start < $1.start }
    return (true, false)
  }

  /// The latest event time seen, held back by inputs that have not got so far.
  private var progress: Int64 { min(state.maxEventTime, hold) }

  /// Windows that end at or before it are closed: a record for them is late.
  private var watermark: Int64 { progress == .min ? .min : progress.subtractingSaturated(lateness) }

  /// Windows that end at or before it are emitted: the watermark, or with `late: update`
  /// the latest event time.
  private var emitting: Int64 { policy == .update ? progress : watermark }

  public func holdWatermarks(at milliseconds: Int64) { hold = milliseconds }

  /// The windows to emit — those the watermark has passed, and with `late: update` those
  /// the latest event time has passed, again when changed — as one batch of the step's
  /// schema; closed windows leave the state.
  private func emit() -> [RecordBatch] {
    var closed: [(start: Int64, key: WindowKey, accumulator: Accumulator)] = []
    switch shape {
    case .fixed(let size, _):
      for (key, accumulator) in state.windows where key.end <= emitting {
        if !state.emitted.contains(key) || state.changed.contains(key) {
          closed.append((key.end - size, key, accumulator))
        }
        if key.end <= watermark {
          state.windows[key] = nil
          state.emitted.remove(key)
        } else {
          state.emitted.insert(key)
        }
      }
      state.changed = []
    case .sessions:
      for (group, sessions) in state.sessions where sessions.contains(where: { $0.end <= watermark }) {
        for session in sessions where session.end <= watermark {
          closed.append((session.start, WindowKey(end: session.end, group: group), session.accumulator))
        }
        let open = sessions.filter { $0.end > watermark }
        state.sessions[group] = open.isEmpty ? nil : open
      }
    }
    guard !closed.isEmpty else { return [] }
    closed.sort { $0.key != $1.key ? $0.key < $1.key : $0.start < $1.start }
    var columns: [[GroupValue]] = Array(repeating: [], count: schema.fields.count)
    for window in closed {
      let values = state.groups[window.key.group] ?? []
      var field = 0
      for value in values {
        columns[field].append(value)
        field += 1
      }
      columns[field].append(.integer(window.start))
      columns[field + 1].append(.integer(window.key.end))
      field += 2
      for (index, measure) in measures.enumerated() {
        columns[field + index].append(window.accumulator.result(index, measure))
      }
    }
    let open = Set(state.windows.keys.map(\.group)).union(state.sessions.keys)
    state.groups = state.groups.filter { open.contains($0.key) }
    let bounds = groupBy.count..<(groupBy.count + 2)
    let built = zip(schema.fields, columns).enumerated().map { position, column in
      // Window bounds are milliseconds; a timestamp column may count finer.
      GroupValue.column(
        column.1, type: column.0.type,
        unitsPerMillisecond: bounds.contains(position) ? column.0.type.timeUnitsPerMillisecond : 1)
    }
    return [RecordBatch(schema: schema, columns: built, rowCount: closed.count)]
  }

  public var lateRecords: Int { state.late }

  public func snapshot() throws(RunFailure) -> [UInt8] { try AggregateState.encode(state, step: name) }

  public func restore(_ bytes: [UInt8]) throws(RunFailure) {
    if let restored = try AggregateState.decode(State.self, from: bytes, step: name) { state = restored }
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
