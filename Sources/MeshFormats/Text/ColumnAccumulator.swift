import MeshData

/// Builds a column of any type value by value, for the readers of text formats: a leaf
/// takes parsed values, a record or list is closed after its fields or items were added.
/// A null appends a placeholder, so that every column keeps one entry per row.
/// `truncate` undoes a record that failed halfway, children included.
class ColumnAccumulator {
  let type: DataType
  private(set) var count = 0
  private var validity = Bitmap()
  private var nulls = 0

  init(type: DataType) { self.type = type }

  static func make(_ type: DataType) -> ColumnAccumulator {
    switch type {
    case .record(let record): RecordAccumulator(type: type, fields: record.fields.map { make($0.type) })
    case .array(let element, _): ListAccumulator(type: type, keys: nil, element: make(element))
    case .map(let value, _): ListAccumulator(type: type, keys: LeafAccumulator(type: .string), element: make(value))
    default: LeafAccumulator(type: type)
    }
  }

  func appendNull() {
    appendPlaceholder()
    validity.append(false)
    nulls += 1
    count += 1
  }

  /// Marks one more present row, after its value went into the storage.
  func present() {
    validity.append(true)
    count += 1
  }

  func appendPlaceholder() {}

  func truncate(to newCount: Int) {
    guard newCount < count else { return }
    for row in newCount..<count where !validity[row] { nulls -= 1 }
    validity.truncate(to: newCount)
    count = newCount
  }

  var nullBitmap: Bitmap? { nulls > 0 ? validity : nil }

  func finish() -> Column { Column(type: type, values: .boolean([])) }
}

final class LeafAccumulator: ColumnAccumulator {
  private var booleans: [Bool] = []
  private var int32s: [Int32] = []
  private var int64s: [Int64] = []
  private var float32s: [Float] = []
  private var float64s: [Double] = []
  private var offsets: [Int32] = [0]
  private var bytes: [UInt8] = []

  /// False when the value is not of the column's kind (the parser never gives one).
  @discardableResult func append(_ value: LeafValue) -> Bool {
    switch (type.physical, value) {
    case (.boolean, .boolean(let flag)): booleans.append(flag)
    case (.int32, .int32(let number)): int32s.append(number)
    case (.int64, .int64(let number)): int64s.append(number)
    case (.float32, .float32(let number)): float32s.append(number)
    case (.float64, .float64(let number)): float64s.append(number)
    case (.binary, .bytes(let value)):
      // Offsets are 32 bits: a batch holds at most 2 GiB of text.
      guard bytes.count + value.count <= Int(Int32.max) else { return false }
      bytes.append(contentsOf: value)
      offsets.append(Int32(truncatingIfNeeded: bytes.count))
    default: return false
    }
    present()
    return true
  }

  /// A value nobody reads: a placeholder counted as present.
  func appendDefault() {
    appendPlaceholder()
    present()
  }

  /// A string or bytes value taken as it stands (already checked by the caller).
  func append(bytes value: ArraySlice<UInt8>) -> Bool {
    guard type.physical == .binary, bytes.count + value.count <= Int(Int32.max) else { return false }
    bytes.append(contentsOf: value)
    offsets.append(Int32(truncatingIfNeeded: bytes.count))
    present()
    return true
  }

  override func appendPlaceholder() {
    switch type.physical {
    case .boolean: booleans.append(false)
    case .int32: int32s.append(0)
    case .int64: int64s.append(0)
    case .float32: float32s.append(0)
    case .float64: float64s.append(0)
    case .binary:
      if case .fixed(let size) = type { bytes.append(contentsOf: repeatElement(0, count: size)) }
      offsets.append(Int32(truncatingIfNeeded: bytes.count))
    case .record, .list, .map: break
    }
  }

  override func truncate(to newCount: Int) {
    guard newCount < count else { return }
    switch type.physical {
    case .boolean: booleans.removeSubrange(newCount...)
    case .int32: int32s.removeSubrange(newCount...)
    case .int64: int64s.removeSubrange(newCount...)
    case .float32: float32s.removeSubrange(newCount...)
    case .float64: float64s.removeSubrange(newCount...)
    case .binary:
      bytes.removeSubrange(Int(offsets[newCount])...)
      offsets.removeSubrange((newCount + 1)...)
    case .record, .list, .map: break
    }
    super.truncate(to: newCount)
  }

  override func finish() -> Column {
    let values: ColumnValues =
      switch type.physical {
      case .boolean: .boolean(booleans)
      case .int32: .int32(int32s)
      case .int64: .int64(int64s)
      case .float32: .float32(float32s)
      case .float64: .float64(float64s)
      case .binary, .record, .list, .map: .binary(offsets: offsets, bytes: bytes)
      }
    return Column(type: type, values: values, validity: nullBitmap)
  }
}

final class RecordAccumulator: ColumnAccumulator {
  let fields: [ColumnAccumulator]

  init(type: DataType, fields: [ColumnAccumulator]) {
    self.fields = fields
    super.init(type: type)
  }

  override func appendPlaceholder() {
    for field in fields { field.appendNull() }
  }

  override func truncate(to newCount: Int) {
    for field in fields { field.truncate(to: newCount) }
    super.truncate(to: newCount)
  }

  override func finish() -> Column {
    Column(type: type, values: .record(fields: fields.map { $0.finish() }, count: count), validity: nullBitmap)
  }
}

/// Arrays and maps: offsets into an element column (and, for maps, a key column).
final class ListAccumulator: ColumnAccumulator {
  let keys: LeafAccumulator?
  let element: ColumnAccumulator
  private var offsets: [Int32] = [0]

  init(type: DataType, keys: LeafAccumulator?, element: ColumnAccumulator) {
    self.keys = keys
    self.element = element
    super.init(type: type)
  }

  /// Closes the list whose items were appended to `element` since the last one.
  func endList() {
    offsets.append(Int32(truncatingIfNeeded: element.count))
    present()
  }

  override func appendPlaceholder() { offsets.append(Int32(truncatingIfNeeded: element.count)) }

  override func truncate(to newCount: Int) {
    guard newCount < count else {
      // The record failed inside this list: drop the items of the unfinished one.
      let kept = Int(offsets[offsets.count - 1])
      keys?.truncate(to: kept)
      element.truncate(to: kept)
      return
    }
    let kept = Int(offsets[newCount])
    offsets.removeSubrange((newCount + 1)...)
    keys?.truncate(to: kept)
    element.truncate(to: kept)
    super.truncate(to: newCount)
  }

  override func finish() -> Column {
    let items = element.finish()
    if let keys {
      return Column(
        type: type, values: .map(offsets: offsets, keys: keys.finish(), values: items), validity: nullBitmap)
    }
    return Column(type: type, values: .list(offsets: offsets, element: items), validity: nullBitmap)
  }
}
