/// A column that grows batch by batch in place, to gather rows from: how an operator
/// holds the rows of many batches without re-encoding them. (A `Column`'s values are an
/// indirect enum, whose arrays cannot grow without being copied.) Flat kinds grow in
/// place; records, lists and maps are appended by copying, correct but slower. Not
/// thread-safe: one operator owns it.
public struct ColumnBuffer: Sendable {
  public let type: DataType
  private var booleans: [Bool] = []
  private var int32s: [Int32] = []
  private var int64s: [Int64] = []
  private var float32s: [Float] = []
  private var float64s: [Double] = []
  private var offsets: [Int32] = [0]
  private var bytes: [UInt8] = []
  /// Nested kinds: the whole column so far.
  private var nested: Column?
  private var kind: Kind
  /// Nil while no row is null.
  private var validity: Bitmap?
  public private(set) var count = 0

  private enum Kind { case boolean, int32, int64, float32, float64, binary, nested }

  /// A buffer of `column`'s rows (of its kind and type).
  public init(_ column: Column) {
    type = column.type
    switch column.values {
    case .boolean: kind = .boolean
    case .int32: kind = .int32
    case .int64: kind = .int64
    case .float32: kind = .float32
    case .float64: kind = .float64
    case .binary: kind = .binary
    case .record, .list, .map: kind = .nested
    }
    append(column)
  }

  /// Appends `column`'s rows (a column of the buffer's kind; another kind appends nulls).
  public mutating func append(_ column: Column) {
    let rows = column.count
    if validity != nil || column.validity != nil {
      if validity == nil { validity = Bitmap(repeating: true, count: count) }
      for row in 0..<rows { validity?.append(!column.isNull(row)) }
    }
    switch (kind, column.values) {
    case (.boolean, .boolean(let values)): booleans += values
    case (.int32, .int32(let values)): int32s += values
    case (.int64, .int64(let values)): int64s += values
    case (.float32, .float32(let values)): float32s += values
    case (.float64, .float64(let values)): float64s += values
    case (.binary, .binary(let theirOffsets, let theirBytes)):
      // Appended whole, then moved by the bytes already held: growing geometrically, as
      // reserving the exact size at every batch would copy the whole buffer each time.
      let base = offsets[offsets.count - 1]
      let start = offsets.count
      offsets += theirOffsets.dropFirst()
      offsets.withUnsafeMutableBufferPointer { offsets in
        for index in start..<offsets.count { offsets[index] &+= base }
      }
      bytes += theirBytes
    case (.nested, _):
      if var whole = nested {
        nested = nil
        whole = Column.concatenated(whole, column)
        nested = whole
      } else {
        nested = column
      }
    default:
      // Not of the buffer's kind, which columns of one type never are: nulls keep the rows aligned.
      appendNulls(rows)
      return
    }
    count += rows
  }

  private mutating func appendNulls(_ rows: Int) {
    if validity == nil { validity = Bitmap(repeating: true, count: count) }
    for _ in 0..<rows { validity?.append(false) }
    switch kind {
    case .boolean: booleans += repeatElement(false, count: rows)
    case .int32: int32s += repeatElement(0, count: rows)
    case .int64: int64s += repeatElement(0, count: rows)
    case .float32: float32s += repeatElement(0, count: rows)
    case .float64: float64s += repeatElement(0, count: rows)
    case .binary: offsets += repeatElement(offsets[offsets.count - 1], count: rows)
    case .nested: break
    }
    count += rows
  }

  /// The buffer as a column (sharing its storage until the buffer grows again).
  public var column: Column {
    let values: ColumnValues
    switch kind {
    case .boolean: values = .boolean(booleans)
    case .int32: values = .int32(int32s)
    case .int64: values = .int64(int64s)
    case .float32: values = .float32(float32s)
    case .float64: values = .float64(float64s)
    case .binary: values = .binary(offsets: offsets, bytes: bytes)
    case .nested: return nested ?? Column(type: type, values: .int32([]))
    }
    return Column(type: type, values: values, validity: validity)
  }

  /// Rows `rows` of the buffer (-1: a null), as `Column.gathered` gives them.
  public func gathered(_ rows: [Int32]) -> Column { column.gathered(rows) }
}

extension Column {
  /// `first`'s rows, then `second`'s (of the same type): by gathering both into one.
  static func concatenated(_ first: Column, _ second: Column) -> Column {
    guard first.count > 0 else { return second }
    guard second.count > 0 else { return first }
    // Gather cannot read two columns; a buffer of flat kinds would have been used instead,
    // so this is only for nested kinds: rebuilt row by row through their children.
    switch (first.values, second.values) {
    case (.record(let a, _), .record(let b, _)):
      let fields = zip(a, b).map { concatenated($0, $1) }
      let validity = Self.joinedValidity(first, second)
      return Column(
        type: first.type, values: .record(fields: fields, count: first.count + second.count), validity: validity)
    case (.list(let offsetsA, let elementA), .list(let offsetsB, let elementB)):
      let base = offsetsA.last ?? 0
      let offsets = offsetsA + offsetsB.dropFirst().map { base &+ $0 }
      return Column(
        type: first.type, values: .list(offsets: offsets, element: concatenated(elementA, elementB)),
        validity: joinedValidity(first, second))
    case (.map(let offsetsA, let keysA, let valuesA), .map(let offsetsB, let keysB, let valuesB)):
      let base = offsetsA.last ?? 0
      let offsets = offsetsA + offsetsB.dropFirst().map { base &+ $0 }
      return Column(
        type: first.type,
        values: .map(offsets: offsets, keys: concatenated(keysA, keysB), values: concatenated(valuesA, valuesB)),
        validity: joinedValidity(first, second))
    default:
      var buffer = ColumnBuffer(first)
      buffer.append(second)
      return buffer.column
    }
  }

  private static func joinedValidity(_ first: Column, _ second: Column) -> Bitmap? {
    guard first.validity != nil || second.validity != nil else { return nil }
    var bits = first.validity ?? Bitmap(repeating: true, count: first.count)
    for row in 0..<second.count { bits.append(!second.isNull(row)) }
    return bits
  }
}
