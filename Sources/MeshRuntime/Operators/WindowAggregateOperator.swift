import Foundation
import MeshBytes
public import MeshData
public import MeshPlan

/// `aggregate:` over tumbling or hopping windows of event time: per group and window, the
/// measures (`count`, `sum`, `min`, `max`, `avg` of a column or expression) accumulate
/// until the watermark — the latest event time seen minus the allowed lateness — passes
/// the window's end; then the window's row is emitted and its state dropped. A record
/// for a window already emitted is late: counted and dropped. Without a window, nothing
/// closes (a table): not run yet. State is checkpointed, so a restart continues the open
/// windows. Windows are emitted in order of their end, then of their group.
public final class WindowAggregateOperator: Operator {
  struct Measure {
    var function: AggregateFunction
    var argument: CompiledExpression?
    var type: DataType
  }

  /// A window's accumulators: per measure a count, an integer sum, a real sum, and a bound.
  struct Accumulator: Codable {
    var counts: [Int64]
    var integers: [Int64]
    var reals: [Double]
    var bounds: [Double?]
  }

  struct WindowKey: Hashable, Codable, Comparable {
    var end: Int64
    var group: [UInt8]
    static func < (a: WindowKey, b: WindowKey) -> Bool {
      a.end != b.end ? a.end < b.end : a.group.lexicographicallyPrecedes(b.group)
    }
  }

  struct State: Codable {
    var windows: [WindowKey: Accumulator]
    /// Each group's values, to emit with its windows.
    var groups: [[UInt8]: [GroupValue]]
    var maxEventTime: Int64
    var late: Int
  }

  /// A group field's value, enough to rebuild its column.
  enum GroupValue: Codable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case bytes([UInt8])
  }

  public let name: String
  private let schema: RecordSchema
  private let groupBy: [Int]
  private let eventTime: Int
  private let unitsPerMillisecond: Int64
  private let size: Int64
  private let advance: Int64
  private let lateness: Int64
  private let measures: [Measure]
  private var state = State(windows: [:], groups: [:], maxEventTime: Int64.min, late: 0)

  public init(
    name: String, schema: RecordSchema, input: RecordSchema, plan: AggregatePlan, eventTime: String?
  )
    throws(RunFailure)
  {
    self.name = name
    self.schema = schema
    guard let window = plan.window else {
      throw RunFailure("step \(name): an aggregate without a window (a table) is not run yet")
    }
    switch window.kind {
    case .tumbling(let size):
      self.size = size
      advance = size
    case .hopping(let size, let advance):
      self.size = size
      self.advance = advance
    case .session:
      throw RunFailure("step \(name): session windows are not run yet")
    }
    lateness = window.allowedLatenessMilliseconds
    groupBy = plan.groupBy.compactMap { $0.path.first }
    guard
      let time = eventTime.flatMap({ input.index(of: $0) })
        ?? input.fields.firstIndex(where: {
          if case .timestamp = $0.type { true } else { false }
        }), case .timestamp(let unit, _) = input.fields[time].type
    else { throw RunFailure("step \(name): a window needs the records' event time as a timestamp field") }
    self.eventTime = time
    unitsPerMillisecond = max(1, unit.perSecond / 1000)
    var measures: [Measure] = []
    for expression in plan.measures {
      guard case .aggregate(let function, let argument, let type) = expression else {
        throw RunFailure("step \(name): a measure that is not one aggregate call is not run yet")
      }
      guard [.count, .sum, .min, .max, .avg].contains(function) else {
        throw RunFailure("step \(name): \(function.rawValue) is not run yet")
      }
      var compiled: CompiledExpression?
      if let argument {
        do {
          compiled = try CompiledExpression(argument)
        } catch {
          throw RunFailure("step \(name): \(error.description)")
        }
      }
      measures.append(Measure(function: function, argument: compiled, type: type.type))
    }
    self.measures = measures
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var context = EvaluationContext()
    let arguments = measures.map { $0.argument?.evaluate(batch, &context) }
    guard case .int64(let times) = batch.columns[eventTime].values else { return OperatorOutput() }
    for row in batch.rows {
      let time = times[row].floorDivided(by: unitsPerMillisecond)
      state.maxEventTime = max(state.maxEventTime, time)
      var group: [UInt8] = []
      var values: [GroupValue] = []
      for column in groupBy {
        let value = Self.value(batch.columns[column], row)
        values.append(value)
        Self.append(value, to: &group)
      }
      // Every window holding `time`: starts at multiples of `advance` within `size` before it.
      var start = time.floorDivided(by: advance) * advance
      while start > time - size {
        let key = WindowKey(end: start + size, group: group)
        if key.end <= watermark {
          state.late += 1
        } else {
          add(row, arguments, to: key)
          if state.groups[group] == nil { state.groups[group] = values }
        }
        start -= advance
      }
    }
    return OperatorOutput(batches: emit(), dropped: [:])
  }

  private var watermark: Int64 { state.maxEventTime == .min ? .min : state.maxEventTime.subtractingSaturated(lateness) }

  private func add(_ row: Int, _ arguments: [Column?], to key: WindowKey) {
    let count = measures.count
    // Mutated in place in the dictionary (the default is made only for a new window): a
    // copy out and back would copy its arrays for every row.
    Self.accumulate(
      row, arguments, measures,
      into: &state.windows[
        key,
        default: Accumulator(
          counts: Array(repeating: 0, count: count), integers: Array(repeating: 0, count: count),
          reals: Array(repeating: 0, count: count), bounds: Array(repeating: nil, count: count))])
  }

  private static func accumulate(
    _ row: Int, _ arguments: [Column?], _ measures: [Measure], into accumulator: inout Accumulator
  ) {
    for (index, measure) in measures.enumerated() {
      guard let column = arguments[index] else {
        accumulator.counts[index] += 1
        continue
      }
      if column.isNull(row) { continue }
      accumulator.counts[index] += 1
      let real: Double
      switch column.values {
      case .int32(let values):
        accumulator.integers[index] &+= Int64(values[row])
        real = Double(values[row])
      case .int64(let values):
        accumulator.integers[index] &+= values[row]
        real = Double(values[row])
      case .float32(let values): real = Double(values[row])
      case .float64(let values): real = values[row]
      default: real = 0
      }
      accumulator.reals[index] += real
      switch measure.function {
      case .min: accumulator.bounds[index] = min(accumulator.bounds[index] ?? real, real)
      case .max: accumulator.bounds[index] = max(accumulator.bounds[index] ?? real, real)
      default: break
      }
    }
  }

  /// The windows the watermark has passed, as one batch of the step's schema.
  private func emit() -> [RecordBatch] {
    let closed = state.windows.keys.filter { $0.end <= watermark }.sorted()
    guard !closed.isEmpty else { return [] }
    var columns: [[GroupValue]] = Array(repeating: [], count: schema.fields.count)
    for key in closed {
      guard let accumulator = state.windows.removeValue(forKey: key) else { continue }
      let values = state.groups[key.group] ?? []
      var field = 0
      for value in values {
        columns[field].append(value)
        field += 1
      }
      columns[field].append(.integer(key.end - size))
      columns[field + 1].append(.integer(key.end))
      field += 2
      for (index, measure) in measures.enumerated() {
        columns[field + index].append(result(measure, accumulator, index))
      }
    }
    let open = Set(state.windows.keys.map(\.group))
    state.groups = state.groups.filter { open.contains($0.key) }
    let built = zip(schema.fields, columns).map { field, values in
      Self.column(values, type: field.type, unitsPerMillisecond: field.type.timeUnitsPerMillisecond)
    }
    return [RecordBatch(schema: schema, columns: built, rowCount: closed.count)]
  }

  private func result(_ measure: Measure, _ accumulator: Accumulator, _ index: Int) -> GroupValue {
    let count = accumulator.counts[index]
    switch measure.function {
    case .count: return .integer(count)
    case .avg: return count == 0 ? .null : .real(accumulator.reals[index] / Double(count))
    case .min, .max:
      guard let bound = accumulator.bounds[index] else { return .null }
      return measure.type.physical == .float64 || measure.type.physical == .float32
        ? .real(bound) : .integer(Int64(bound))
    default:
      guard count > 0 else { return .null }
      return measure.type.physical == .float64 || measure.type.physical == .float32
        ? .real(accumulator.reals[index]) : .integer(accumulator.integers[index])
    }
  }

  static func value(_ column: Column, _ row: Int) -> GroupValue {
    if column.isNull(row) { return .null }
    switch column.values {
    case .boolean(let values): return .boolean(values[row])
    case .int32(let values): return .integer(Int64(values[row]))
    case .int64(let values): return .integer(values[row])
    case .float32(let values): return .real(Double(values[row]))
    case .float64(let values): return .real(values[row])
    case .binary: return .bytes(Array(column.binary(row)))
    default: return .null
    }
  }

  static func append(_ value: GroupValue, to key: inout [UInt8]) {
    switch value {
    case .null: key.append(0)
    case .integer(let number): key += [1] + withUnsafeBytes(of: number.bigEndian) { Array($0) }
    case .real(let number): key += [2] + withUnsafeBytes(of: number.bitPattern.bigEndian) { Array($0) }
    case .boolean(let flag): key += [3, flag ? 1 : 0]
    case .bytes(let bytes): key += [4] + withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { Array($0) } + bytes
    }
  }

  static func column(_ values: [GroupValue], type: DataType, unitsPerMillisecond: Int64) -> Column {
    var validity = Bitmap()
    for value in values { validity.append(value != .null) }
    let nulls = validity.nullCount > 0 ? validity : nil
    func integer(_ value: GroupValue) -> Int64 {
      switch value {
      case .integer(let number): number
      case .real(let number): Int64(number)
      default: 0
      }
    }
    let columnValues: ColumnValues
    switch type.physical {
    case .boolean: columnValues = .boolean(values.map { if case .boolean(let flag) = $0 { flag } else { false } })
    case .int32: columnValues = .int32(values.map { Int32(truncatingIfNeeded: integer($0)) })
    case .int64:
      // Window bounds are milliseconds; a timestamp column may count finer.
      let scale = type.isTemporal ? unitsPerMillisecond : 1
      columnValues = .int64(values.map { integer($0) &* scale })
    case .float32:
      columnValues = .float32(
        values.map { if case .real(let number) = $0 { Float(number) } else { Float(integer($0)) } })
    case .float64:
      columnValues = .float64(values.map { if case .real(let number) = $0 { number } else { Double(integer($0)) } })
    case .binary, .record, .list, .map:
      var offsets: [Int32] = [0]
      var bytes: [UInt8] = []
      for value in values {
        if case .bytes(let text) = value { bytes += text }
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
      }
      columnValues = .binary(offsets: offsets, bytes: bytes)
    }
    return Column(type: type, values: columnValues, validity: nulls)
  }

  public var lateRecords: Int { state.late }

  public func snapshot() throws(RunFailure) -> [UInt8] {
    let encoder = JSONEncoder.sorted
    do {
      return Array(try encoder.encode(state))
    } catch {
      throw RunFailure("step \(name): its state does not encode: \(error)")
    }
  }

  public func restore(_ bytes: [UInt8]) throws(RunFailure) {
    guard !bytes.isEmpty else { return }
    do {
      state = try JSONDecoder().decode(State.self, from: Data(bytes))
    } catch {
      throw RunFailure("step \(name): its checkpointed state is damaged (\(error))")
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

extension JSONEncoder {
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }
}
