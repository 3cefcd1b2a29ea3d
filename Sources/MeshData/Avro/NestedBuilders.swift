/// A union of null and one type: the branch index, then the value or nothing.
final class NullableBuilder: ColumnBuilder {
  private let inner: ColumnBuilder
  private let nullBranch: Int64
  private var validity = Bitmap()

  init(inner: ColumnBuilder, nullBranch: Int64) {
    self.inner = inner
    self.nullBranch = nullBranch
    super.init(type: inner.type)
  }

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    let branch = try cursor.long()
    if branch == nullBranch {
      inner.appendPlaceholder()
      validity.append(false)
    } else if branch == 1 - nullBranch {
      try inner.decode(&cursor, bytes: bytes)
      validity.append(true)
    } else {
      throw .invalid("union branch index \(branch) out of range 0..<2")
    }
  }

  override func appendPlaceholder() {
    inner.appendPlaceholder()
    validity.append(false)
  }

  override func reserveCapacity(_ rows: Int) {
    inner.reserveCapacity(rows)
    validity.reserveCapacity(rows)
  }

  override func truncate(to count: Int) {
    inner.truncate(to: count)
    validity.truncate(to: count)
  }

  override func finish() -> Column {
    var column = inner.finish()
    if validity.nullCount > 0 { column.validity = validity }
    validity = Bitmap()
    return column
  }
}

final class RecordBuilder: ColumnBuilder {
  let fields: [ColumnBuilder]
  private(set) var count = 0

  init(type: DataType, fields: [ColumnBuilder]) {
    self.fields = fields
    super.init(type: type)
  }

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    for field in fields { try field.decode(&cursor, bytes: bytes) }
    count += 1
  }

  override func appendPlaceholder() {
    for field in fields { field.appendPlaceholder() }
    count += 1
  }

  override func reserveCapacity(_ rows: Int) {
    for field in fields { field.reserveCapacity(rows) }
  }

  override func truncate(to count: Int) {
    for field in fields { field.truncate(to: count) }
    self.count = min(self.count, count)
  }

  override func finish() -> Column {
    defer { count = 0 }
    return Column(type: type, values: .record(fields: fields.map { $0.finish() }, count: count))
  }
}

/// Arrays and maps: blocks of items, offsets into the child columns.
final class RepeatedBuilder: ColumnBuilder {
  private let keys: BinaryBuilder?
  private let element: ColumnBuilder
  private var offsets: [Int32] = [0]
  private var items = 0

  init(type: DataType, keys: BinaryBuilder?, element: ColumnBuilder) {
    self.keys = keys
    self.element = element
    super.init(type: type)
  }

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    while true {
      let count = try cursor.blockCount()
      if count == 0 { break }
      for _ in 0..<count {
        try keys?.decode(&cursor, bytes: bytes)
        try element.decode(&cursor, bytes: bytes)
      }
      items += count
      guard items <= Int(Int32.max) else { throw .invalid("a batch holds at most 2^31 items") }
    }
    offsets.append(Int32(items))
  }

  override func appendPlaceholder() { offsets.append(Int32(items)) }

  override func truncate(to count: Int) {
    guard count + 1 < offsets.count else {
      // The record failed inside this value: drop the items of its unfinished blocks.
      let kept = Int(offsets[offsets.count - 1])
      keys?.truncate(to: kept)
      element.truncate(to: kept)
      items = kept
      return
    }
    let kept = Int(offsets[count])
    offsets.removeSubrange((count + 1)...)
    keys?.truncate(to: kept)
    element.truncate(to: kept)
    items = kept
  }

  override func finish() -> Column {
    defer {
      offsets = [0]
      items = 0
    }
    let elements = element.finish()
    if let keys {
      return Column(type: type, values: .map(offsets: offsets, keys: keys.finish(), values: elements))
    }
    return Column(type: type, values: .list(offsets: offsets, element: elements))
  }
}
