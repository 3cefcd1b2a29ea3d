import MeshBytes
import MeshData

/// A batch of CSV records as field spans, read straight from the text by `CSVReader`,
/// and the columns built from them a field at a time (`CSVColumnBuilder`): one typed loop
/// per field rather than a dispatch per value, which is what makes reading CSV fast.
struct CSVColumns: CSVFieldSink {
  /// Per record and column (`row * columns + column`): where the field's bytes start and
  /// end — in `source`, or with `inUnescaped` in `unescaped` — and whether it was quoted.
  private var starts: [Int] = []
  private var ends: [Int] = []
  private var flags: [UInt8] = []
  var unescaped: [UInt8] = []
  /// Per record: its line and its bytes in `source`.
  private(set) var lines: [Int] = []
  private(set) var ranges: [Range<Int>] = []
  private(set) var columns = 0
  private(set) var rows = 0
  var source: [UInt8] = []

  private static let quoted: UInt8 = 1
  private static let inUnescaped: UInt8 = 2

  /// Empties it for a batch of records of `columns` fields, keeping its capacity.
  mutating func removeAll(columns: Int) {
    self.columns = columns
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    flags.removeAll(keepingCapacity: true)
    unescaped.removeAll(keepingCapacity: true)
    lines.removeAll(keepingCapacity: true)
    ranges.removeAll(keepingCapacity: true)
    rows = 0
  }

  mutating func beginRecord(at offset: Int, line: Int) {
    lines.append(line)
    ranges.append(offset..<offset)
  }

  mutating func field(_ range: Range<Int>, inUnescaped: Bool, quoted: Bool, column: Int) {
    starts.append(range.lowerBound)
    ends.append(range.upperBound)
    flags.append((quoted ? Self.quoted : 0) | (inUnescaped ? Self.inUnescaped : 0))
  }

  mutating func endRecord(at offset: Int) {
    if let last = ranges.last { ranges[ranges.count - 1] = last.lowerBound..<offset }
    rows += 1
  }

  /// Takes back the last record read (it had the wrong number of fields, `fields`).
  mutating func dropLast(fields: Int) {
    starts.removeLast(fields)
    ends.removeLast(fields)
    flags.removeLast(fields)
    lines.removeLast()
    ranges.removeLast()
    rows -= 1
  }

  func value(_ row: Int, _ column: Int) -> ArraySlice<UInt8> {
    let at = row * columns + column
    return flags[at] & Self.inUnescaped != 0 ? unescaped[starts[at]..<ends[at]] : source[starts[at]..<ends[at]]
  }

  func isQuoted(_ row: Int, _ column: Int) -> Bool { flags[row * columns + column] & Self.quoted != 0 }

  /// Calls `body` with each record's value of `column` (and whether it was quoted), as a
  /// buffer into the text: no slice, so no retain, per value.
  func forEachValue(of column: Int, _ body: (Int, UnsafeBufferPointer<UInt8>, Bool) -> Void) {
    source.withUnsafeBufferPointer { text in
      unescaped.withUnsafeBufferPointer { copies in
        for row in 0..<rows {
          let at = row * columns + column
          let flag = flags[at]
          let bytes = flag & Self.inUnescaped != 0 ? copies : text
          body(row, UnsafeBufferPointer(rebasing: bytes[starts[at]..<ends[at]]), flag & Self.quoted != 0)
        }
      }
    }
  }

  /// The record at `row` read again, for a rejection's columns: its fields' 1-based byte
  /// columns (rejections are rare, so they are not kept for every field).
  func record(_ row: Int, delimiter: UInt8) -> CSVReader.Record? {
    var reader = CSVReader(bytes: Array(source[ranges[row]]), delimiter: delimiter, firstLine: lines[row])
    return try? reader.next()
  }
}

/// One field's column, built over every record of a batch.
struct CSVColumnBuilder {
  let rows: Int
  private var validity = Bitmap()
  private var nulls = 0

  init(rows: Int) {
    self.rows = rows
    validity.reserveCapacity(rows)
  }

  /// The column of a field nobody reads, or that no CSV column holds (`null`).
  static func placeholders(_ type: DataType, rows: Int, null: Bool) -> Column {
    let values: ColumnValues
    switch type.physical {
    case .boolean: values = .boolean(Array(repeating: false, count: rows))
    case .int32: values = .int32(Array(repeating: 0, count: rows))
    case .int64: values = .int64(Array(repeating: 0, count: rows))
    case .float32: values = .float32(Array(repeating: 0, count: rows))
    case .float64: values = .float64(Array(repeating: 0, count: rows))
    case .binary, .record, .list, .map:
      let size = if case .fixed(let size) = type { size } else { 0 }
      values = .binary(
        offsets: (0...rows).map { Int32(truncatingIfNeeded: $0 * size) },
        bytes: Array(repeating: 0, count: rows * size))
    }
    return Column(type: type, values: values, validity: null && rows > 0 ? Bitmap(repeating: false, count: rows) : nil)
  }

  private mutating func mark(_ present: Bool) {
    validity.append(present)
    if !present { nulls += 1 }
  }

  private var bitmap: Bitmap? { nulls > 0 ? validity : nil }

  /// A string field: the bytes as they stand, checked to be UTF-8.
  static func strings(
    _ tokens: CSVColumns, column: Int, type: DataType, nullable: Bool, nullText: [UInt8],
    reject: (Int, String) -> Void
  ) -> Column {
    var builder = CSVColumnBuilder(rows: tokens.rows)
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(tokens.rows + 1)
    var bytes: [UInt8] = []
    tokens.forEachValue(of: column) { row, value, quoted in
      if nullable, !quoted, value.elementsEqual(nullText) {
        builder.mark(false)
      } else if !UTF8Validation.isValid(value) {
        reject(row, "not UTF-8 text")
        builder.mark(true)
      } else if bytes.count + value.count > Int(Int32.max) {
        // Offsets are 32 bits: a batch holds at most 2 GiB of text.
        reject(row, "a \(type) column cannot hold the value")
        builder.mark(true)
      } else {
        bytes.append(contentsOf: value)
        builder.mark(true)
      }
      offsets.append(Int32(truncatingIfNeeded: bytes.count))
    }
    return Column(type: type, values: .binary(offsets: offsets, bytes: bytes), validity: builder.bitmap)
  }

  /// Any other field: each value read as its type.
  static func parsed(
    _ tokens: CSVColumns, column: Int, type: DataType, nullable: Bool, required: Bool, nullText: [UInt8],
    reject: (Int, String) -> Void
  ) -> Column {
    var builder = CSVColumnBuilder(rows: tokens.rows)
    var booleans: [Bool] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var float32s: [Float] = []
    var float64s: [Double] = []
    var offsets: [Int32] = [0]
    var bytes: [UInt8] = []
    let physical = type.physical
    let fixedSize = if case .fixed(let size) = type { size } else { 0 }
    func placeholder() {
      switch physical {
      case .boolean: booleans.append(false)
      case .int32: int32s.append(0)
      case .int64: int64s.append(0)
      case .float32: float32s.append(0)
      case .float64: float64s.append(0)
      case .binary, .record, .list, .map:
        bytes.append(contentsOf: repeatElement(0, count: fixedSize))
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
      }
    }
    for row in 0..<tokens.rows {
      let value = tokens.value(row, column)
      let quoted = tokens.isQuoted(row, column)
      if nullable, !quoted, value.elementsEqual(nullText) {
        placeholder()
        builder.mark(false)
        continue
      }
      builder.mark(true)
      if required, !quoted, value.isEmpty {
        reject(row, "a value is required")
        placeholder()
        continue
      }
      switch (physical, TextValueParser.parse(value, as: type)) {
      case (.boolean, .success(.boolean(let flag))): booleans.append(flag)
      case (.int32, .success(.int32(let number))): int32s.append(number)
      case (.int64, .success(.int64(let number))): int64s.append(number)
      case (.float32, .success(.float32(let number))): float32s.append(number)
      case (.float64, .success(.float64(let number))): float64s.append(number)
      case (.binary, .success(.bytes(let value))) where bytes.count + value.count <= Int(Int32.max):
        bytes.append(contentsOf: value)
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
      case (_, .failure(let error)):
        reject(row, error.message)
        placeholder()
      default:
        reject(row, "a \(type) column cannot hold the value")
        placeholder()
      }
    }
    let values: ColumnValues =
      switch physical {
      case .boolean: .boolean(booleans)
      case .int32: .int32(int32s)
      case .int64: .int64(int64s)
      case .float32: .float32(float32s)
      case .float64: .float64(float64s)
      case .binary, .record, .list, .map: .binary(offsets: offsets, bytes: bytes)
      }
    return Column(type: type, values: values, validity: builder.bitmap)
  }
}
