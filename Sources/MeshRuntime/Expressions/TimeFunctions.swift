import MeshBytes
import MeshData
import MeshPlan

/// date_trunc, date_part, year … second and date, in UTC, on timestamps of any unit and
/// on dates. Weeks start on Monday (ISO 8601); `dow` counts Sunday as 0, as PostgreSQL.
enum TimeFunctions {
  static func kernel(
    _ function: ScalarFunction, unit: String?, argument: DataType, result: ValueType
  )
    -> CallNode.Kernel?
  {
    let perSecond: Int64
    switch argument {
    case .timestamp(let timeUnit, _): perSecond = timeUnit.perSecond
    case .date: perSecond = 0
    default: return nil
    }
    let part: String
    switch function {
    case .year, .month, .day, .hour, .minute, .second: part = function.rawValue
    case .date: part = "date"
    case .dateTrunc, .datePart: part = unit ?? "day"
    default: return nil
    }
    let truncate = function == .dateTrunc
    let index = function == .dateTrunc || function == .datePart ? 1 : 0
    return { args, count, _ in
      let column = args[index].column(count: count, type: argument)
      var values = [Int64](repeating: 0, count: count)
      for row in 0..<count where !column.isNull(row) {
        let value: Int64
        switch column.values {
        case .int64(let v): value = v[row]
        case .int32(let v): value = Int64(v[row])
        default: continue
        }
        let moment = Moment(value, perSecond: perSecond)
        if function == .date {
          values[row] = moment.days
        } else if truncate {
          values[row] = moment.truncated(to: part, perSecond: perSecond)
        } else {
          values[row] = moment.part(part, perSecond: perSecond)
        }
      }
      let out: ColumnValues =
        result.type.physical == .int32 ? .int32(values.map { Int32(truncatingIfNeeded: $0) }) : .int64(values)
      return .column(Column(type: result.type, values: out, validity: column.validity))
    }
  }

  /// A time taken apart: days since the epoch and the time of day in the unit.
  struct Moment {
    var days: Int64
    var ofDay: Int64

    /// `perSecond` 0 reads `value` as days (a date).
    init(_ value: Int64, perSecond: Int64) {
      guard perSecond > 0 else {
        days = value
        ofDay = 0
        return
      }
      let perDay = 86_400 * perSecond
      days = value.floorDivided(by: perDay)
      // Wrapping: the day's start may lie before Int64.min for the earliest values.
      ofDay = value &- days &* perDay
    }

    var civil: (year: Int, month: Int, day: Int) {
      let (y, m, d) = EventTime.civil(fromDays: Int(days))
      return (y, m, d)
    }

    func part(_ part: String, perSecond: Int64) -> Int64 {
      let second = perSecond > 0 ? ofDay / perSecond : 0
      switch part {
      case "year": return Int64(civil.year)
      case "quarter": return Int64((civil.month - 1) / 3 + 1)
      case "month": return Int64(civil.month)
      case "week": return isoWeek
      case "day": return Int64(civil.day)
      case "hour": return second / 3600
      case "minute": return second / 60 % 60
      case "second": return second % 60
      case "millisecond": return perSecond > 0 ? ofDay / (perSecond / 1000) % 1000 : 0
      case "dow": return ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
      case "doy": return days - Int64(EventTime.daysFromCivil(year: civil.year, month: 1, day: 1)) + 1
      case "epoch": return days * 86_400 + second
      default: return 0
      }
    }

    /// The ISO 8601 week number: weeks start on Monday, week 1 holds the first Thursday.
    var isoWeek: Int64 {
      let weekday = ((days % 7) + 10) % 7  // Monday 0
      let thursday = days - weekday + 3
      let year = EventTime.civil(fromDays: Int(thursday)).0
      let firstDay = Int64(EventTime.daysFromCivil(year: year, month: 1, day: 1))
      return (thursday - firstDay) / 7 + 1
    }

    /// The start of the unit the moment is in, in the argument's representation.
    func truncated(to part: String, perSecond: Int64) -> Int64 {
      var day = days
      var time = ofDay
      let (year, month, _) = civil
      switch part {
      case "second": time = perSecond > 0 ? time / perSecond * perSecond : 0
      case "minute": time = perSecond > 0 ? time / (60 * perSecond) * 60 * perSecond : 0
      case "hour": time = perSecond > 0 ? time / (3600 * perSecond) * 3600 * perSecond : 0
      case "day": time = 0
      case "week":
        day -= ((days % 7) + 10) % 7
        time = 0
      case "month":
        day = Int64(EventTime.daysFromCivil(year: year, month: month, day: 1))
        time = 0
      case "quarter":
        day = Int64(EventTime.daysFromCivil(year: year, month: (month - 1) / 3 * 3 + 1, day: 1))
        time = 0
      case "year":
        day = Int64(EventTime.daysFromCivil(year: year, month: 1, day: 1))
        time = 0
      default: break
      }
      // Wrapping: only times near the ends of Int64 could overflow, and they are no dates.
      return perSecond > 0 ? day &* 86_400 &* perSecond &+ time : day
    }
  }
}
