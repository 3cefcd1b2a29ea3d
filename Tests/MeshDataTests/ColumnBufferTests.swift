import MeshData
import MeshTestSupport
import Testing

/// `ColumnBuffer`: columns appended one after another read back as their rows in order —
/// flat kinds, nulls, strings and nested columns — and gather like one column.
@Suite struct ColumnBufferTests {
  /// Row `row` as text, for comparing columns of any kind.
  static func text(_ column: Column, _ row: Int) -> String {
    if column.isNull(row) { return "null" }
    switch column.values {
    case .boolean(let values): return "\(values[row])"
    case .int32(let values): return "\(values[row])"
    case .int64(let values): return "\(values[row])"
    case .float32(let values): return "\(values[row])"
    case .float64(let values): return "\(values[row])"
    case .binary: return "'\(column.string(row))'"
    case .list(let offsets, let element):
      return "[" + (Int(offsets[row])..<Int(offsets[row + 1])).map { text(element, $0) }.joined(separator: ",") + "]"
    case .record(let fields, _): return "{" + fields.map { text($0, row) }.joined(separator: ",") + "}"
    case .map(let offsets, let keys, let values):
      return "{"
        + (Int(offsets[row])..<Int(offsets[row + 1])).map { "\(text(keys, $0)):\(text(values, $0))" }
        .joined(separator: ",") + "}"
    }
  }

  static func rows(_ column: Column) -> [String] { (0..<column.count).map { text(column, $0) } }

  static func strings(_ values: [String?]) -> Column {
    var offsets: [Int32] = [0]
    var bytes: [UInt8] = []
    var validity = Bitmap()
    for value in values {
      bytes += (value ?? "").utf8
      offsets.append(Int32(bytes.count))
      validity.append(value != nil)
    }
    return Column(
      type: .string, values: .binary(offsets: offsets, bytes: bytes),
      validity: values.contains(nil) ? validity : nil)
  }

  @Test func appendedColumnsReadBackInOrderAndGatherAsOne() {
    var random = SeededRandom()
    for _ in 0..<50 {
      var pieces: [Column] = []
      for _ in 0..<Int.random(in: 1...6, using: &random) {
        let count = Int.random(in: 0...5, using: &random)
        pieces.append(
          Self.strings(
            (0..<count).map { _ in
              Int.random(in: 0..<4, using: &random) == 0
                ? nil : String(repeating: "x", count: Int.random(in: 0...3, using: &random))
            }))
      }
      var buffer = ColumnBuffer(pieces[0])
      for piece in pieces.dropFirst() { buffer.append(piece) }
      let expected = pieces.flatMap(Self.rows)
      #expect(Self.rows(buffer.column) == expected)
      #expect(buffer.count == expected.count)
      let picks = (0..<8).map { _ in Int32.random(in: -1..<Int32(max(1, expected.count)), using: &random) }
        .filter { $0 < expected.count }
      #expect(Self.rows(buffer.gathered(picks)) == picks.map { $0 < 0 ? "null" : expected[Int($0)] })
    }
  }

  @Test func everyFlatKindAndNestedColumnsAppend() {
    let flat: [(Column, Column)] = [
      (Column(type: .boolean, values: .boolean([true])), Column(type: .boolean, values: .boolean([false, true]))),
      (
        Column(type: .int32, values: .int32([1])),
        Column(type: .int32, values: .int32([2]), validity: Bitmap(words: [0], count: 1))
      ),
      (Column(type: .int64, values: .int64([1, 2])), Column(type: .int64, values: .int64([3]))),
      (Column(type: .float32, values: .float32([1.5])), Column(type: .float32, values: .float32([2.5]))),
      (Column(type: .float64, values: .float64([])), Column(type: .float64, values: .float64([0.25]))),
    ]
    for (first, second) in flat {
      var buffer = ColumnBuffer(first)
      buffer.append(second)
      #expect(Self.rows(buffer.column) == Self.rows(first) + Self.rows(second))
    }
    let list = Column(
      type: .array(element: .int32, elementNullable: false),
      values: .list(offsets: [0, 2, 2], element: Column(type: .int32, values: .int32([1, 2]))))
    let more = Column(
      type: .array(element: .int32, elementNullable: false),
      values: .list(offsets: [0, 1], element: Column(type: .int32, values: .int32([3]))),
      validity: Bitmap(words: [1], count: 1))
    var lists = ColumnBuffer(list)
    lists.append(more)
    lists.append(list)
    #expect(Self.rows(lists.column) == ["[1,2]", "[]", "[3]", "[1,2]", "[]"])
    #expect(Self.rows(lists.gathered([2, 0])) == ["[3]", "[1,2]"])
    let schema = RecordSchema(name: "R", fields: [DataField(name: "n", type: .int64, nullable: false)])
    let records = Column(
      type: .record(schema), values: .record(fields: [Column(type: .int64, values: .int64([10, 20]))], count: 2))
    var buffer = ColumnBuffer(records)
    buffer.append(records)
    #expect(Self.rows(buffer.column) == ["{10}", "{20}", "{10}", "{20}"])
  }
}
