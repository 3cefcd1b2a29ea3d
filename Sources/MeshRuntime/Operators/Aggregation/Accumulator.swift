import MeshData
import MeshPlan

/// One measure of an aggregate: its function, its argument compiled (nil for
/// `count(*)`), and its result's type.
struct Measure {
  var function: AggregateFunction
  var argument: CompiledExpression?
  var type: DataType

  /// The measures of a plan, compiled; a measure that is not one aggregate call is refused.
  static func compile(_ plan: AggregatePlan, step: String) throws(RunFailure) -> [Measure] {
    var measures: [Measure] = []
    for expression in plan.measures {
      guard case .aggregate(let function, let argument, let type) = expression else {
        throw RunFailure("step \(step): a measure that is not one aggregate call is not run yet")
      }
      var compiled: CompiledExpression?
      if let argument {
        do {
          compiled = try CompiledExpression(argument)
        } catch {
          throw RunFailure("step \(step): \(error.description)")
        }
      }
      measures.append(Measure(function: function, argument: compiled, type: type.type))
    }
    return measures
  }
}

/// What a group (in a window, or in a table) has accumulated, per measure: the count of
/// non-null values, their integer and real sums, the extreme or the first/last value
/// with its event time, and for `count_distinct` the values seen.
struct Accumulator: Codable {
  var counts: [Int64]
  var integers: [Int64]
  var reals: [Double]
  var values: [GroupValue]
  var times: [Int64]
  var distinct: [Set<GroupValue>]

  init(measures: Int) {
    counts = Array(repeating: 0, count: measures)
    integers = Array(repeating: 0, count: measures)
    reals = Array(repeating: 0, count: measures)
    values = Array(repeating: .null, count: measures)
    times = Array(repeating: 0, count: measures)
    distinct = Array(repeating: [], count: measures)
  }

  /// Whether every array holds `count` measures: what decoded state must, to be indexed
  /// by them.
  func holds(measures count: Int) -> Bool {
    [counts.count, integers.count, reals.count, values.count, times.count, distinct.count].allSatisfy { $0 == count }
  }

  /// Adds the record at `row` (event time `time`); `arguments` are the measures'
  /// arguments evaluated over its batch, `functions` their functions — taken once by the
  /// caller's loop over records: reading a `Measure` out of its array copies (and
  /// retains) all it holds.
  mutating func add(_ row: Int, time: Int64, _ arguments: [Column?], functions: [AggregateFunction]) {
    for index in functions.indices { add(arguments[index], row, time: time, functions[index], at: index) }
  }

  /// Adds one measure's value — of `column` at `row`, or a record for `count(*)` — at
  /// position `index` of the arrays (a measure's, or in a batch's wide accumulator, one
  /// window's measure).
  mutating func add(_ column: Column?, _ row: Int, time: Int64, _ function: AggregateFunction, at index: Int) {
    guard let column else {
      counts[index] += 1
      return
    }
    if column.isNull(row) { return }
    switch function {
    case .count: break
    case .sum, .avg:
      switch column.values {
      case .int32(let values):
        integers[index] &+= Int64(values[row])
        reals[index] += Double(values[row])
      case .int64(let values):
        integers[index] &+= values[row]
        reals[index] += Double(values[row])
      case .float32(let values): reals[index] += Double(values[row])
      case .float64(let values): reals[index] += values[row]
      default: break
      }
    case .min, .max, .first, .last: take(GroupValue(column, row), at: time, index, function)
    case .countDistinct: distinct[index].insert(GroupValue(column, row))
    }
    counts[index] += 1
  }

  /// Counts, sums and averages of a numeric column over `pairs` (row, position), in one
  /// typed loop: what a window aggregate does most. False when the measure needs the
  /// general path.
  mutating func addNumbers(
    _ column: Column?, _ function: AggregateFunction, _ pairs: [(row: Int32, index: Int32)]
  ) -> Bool {
    guard let column else {
      guard function == .count else { return false }
      for pair in pairs { counts[Int(pair.index)] += 1 }
      return true
    }
    guard [.count, .sum, .avg].contains(function) else { return false }
    let validity = column.validity
    switch column.values {
    case .float64(let values):
      for pair in pairs where validity?[Int(pair.row)] ?? true {
        counts[Int(pair.index)] += 1
        reals[Int(pair.index)] += values[Int(pair.row)]
      }
    case .int64(let values):
      for pair in pairs where validity?[Int(pair.row)] ?? true {
        counts[Int(pair.index)] += 1
        integers[Int(pair.index)] &+= values[Int(pair.row)]
        reals[Int(pair.index)] += Double(values[Int(pair.row)])
      }
    case .int32(let values):
      for pair in pairs where validity?[Int(pair.row)] ?? true {
        counts[Int(pair.index)] += 1
        integers[Int(pair.index)] &+= Int64(values[Int(pair.row)])
        reals[Int(pair.index)] += Double(values[Int(pair.row)])
      }
    default:
      guard function == .count else { return false }
      for pair in pairs where validity?[Int(pair.row)] ?? true { counts[Int(pair.index)] += 1 }
    }
    return true
  }

  /// The accumulator of `measures` measures at `slot` of a wide one.
  func slot(_ slot: Int, measures: Int) -> Accumulator {
    let range = (slot * measures)..<(slot * measures + measures)
    var one = Accumulator(measures: 0)
    one.counts = Array(counts[range])
    one.integers = Array(integers[range])
    one.reals = Array(reals[range])
    one.values = Array(values[range])
    one.times = Array(times[range])
    one.distinct = Array(distinct[range])
    return one
  }

  /// Keeps `value` if it beats the one held: the smaller (min) or larger (max), the
  /// earlier (first) or the later — of two at one time, the one that came later (last).
  private mutating func take(_ value: GroupValue, at time: Int64, _ index: Int, _ function: AggregateFunction) {
    let beats: Bool
    if counts[index] == 0 {
      beats = true
    } else {
      switch function {
      case .min: beats = value.precedes(values[index])
      case .max: beats = values[index].precedes(value)
      case .first: beats = time < times[index]
      default: beats = time >= times[index]
      }
    }
    if beats {
      values[index] = value
      times[index] = time
    }
  }

  /// Folds `other` (a later session merged into this one) in.
  mutating func merge(_ other: Accumulator, _ measures: [Measure]) {
    for (index, measure) in measures.enumerated() where other.counts[index] > 0 {
      switch measure.function {
      case .min, .max, .first, .last: take(other.values[index], at: other.times[index], index, measure.function)
      case .countDistinct: distinct[index].formUnion(other.distinct[index])
      default: break
      }
      counts[index] += other.counts[index]
      integers[index] &+= other.integers[index]
      reals[index] += other.reals[index]
    }
  }

  /// The measure's value: null when no non-null value came (but for the counts).
  func result(_ index: Int, _ measure: Measure) -> GroupValue {
    let count = counts[index]
    switch measure.function {
    case .count: return .integer(count)
    case .countDistinct: return .integer(Int64(distinct[index].count))
    case .avg: return count == 0 ? .null : .real(reals[index] / Double(count))
    case .min, .max, .first, .last: return count == 0 ? .null : values[index]
    case .sum:
      guard count > 0 else { return .null }
      return measure.type.physical == .float64 || measure.type.physical == .float32
        ? .real(reals[index]) : .integer(integers[index])
    }
  }
}
