import MeshData
import Testing

/// `Column.gathered`: rows picked in any order, repeated, or null (−1), for every kind of
/// column, nested ones included.
@Suite struct GatheredColumnTests {
  @Test func picksRowsInAnyOrderAndNullsWhereAsked() {
    let names = Column(
      type: .string, values: .binary(offsets: [0, 1, 3, 6], bytes: Array("abbccc".utf8)),
      validity: Bitmap(words: [0b101], count: 3))
    let gathered = names.gathered([2, -1, 0, 2, 1])
    #expect((0..<5).map { gathered.isNull($0) ? "null" : gathered.string($0) } == ["ccc", "null", "a", "ccc", "null"])
    let numbers = Column(type: .int64, values: .int64([7, 8, 9])).gathered([1, 1, -1])
    if case .int64(let values) = numbers.values { #expect(values == [8, 8, 0]) }
    #expect(numbers.isNull(2) && !numbers.isNull(0))
    #expect(Column(type: .int64, values: .int64([7])).gathered([0]).validity == nil)
  }

  @Test func nestedColumnsFollowTheirRows() {
    // Lists [[1, 2], [], [3]] and records {n: 10}, {n: 20}, {n: 30}.
    let list = Column(
      type: .array(element: .int32, elementNullable: false),
      values: .list(offsets: [0, 2, 2, 3], element: Column(type: .int32, values: .int32([1, 2, 3]))))
    let gathered = list.gathered([2, 0, -1])
    guard case .list(let offsets, let element) = gathered.values, case .int32(let values) = element.values else {
      Issue.record("not a list")
      return
    }
    #expect(offsets == [0, 1, 3, 3])
    #expect(values == [3, 1, 2])
    #expect(gathered.isNull(2))
    let record = RecordSchema(name: "R", fields: [DataField(name: "n", type: .int64, nullable: false)])
    let records = Column(
      type: .record(record), values: .record(fields: [Column(type: .int64, values: .int64([10, 20, 30]))], count: 3))
    guard case .record(let fields, let count) = records.gathered([1, 2]).values,
      case .int64(let numbers) = fields[0].values
    else {
      Issue.record("not a record")
      return
    }
    #expect(count == 2)
    #expect(numbers == [20, 30])
  }
}
