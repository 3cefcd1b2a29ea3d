import MeshBytes

/// Writes one column's values as Avro binary, row by row. Made once per schema; `bind`
/// takes a batch's column so that each row is a direct array read.
class ColumnWriter {
  func bind(_ column: Column) throws(BatchEncodingError) {}
  func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {}
}

public struct BatchEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

final class BooleanWriter: ColumnWriter {
  private var values: [Bool] = []
  override func bind(_ column: Column) throws(BatchEncodingError) {
    guard case .boolean(let values) = column.values else { throw BatchEncodingError("expected a boolean column") }
    self.values = values
  }
  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    writer.write(values[row] ? 1 : 0)
  }
}

/// int, long, and their logical types; `narrow` writes a long column as an Avro int.
final class IntegerWriter: ColumnWriter {
  private var int32: [Int32] = []
  private var int64: [Int64] = []
  private let narrow: Bool

  init(narrow: Bool) { self.narrow = narrow }

  override func bind(_ column: Column) throws(BatchEncodingError) {
    switch column.values {
    case .int32(let values): int32 = values
    case .int64(let values): int64 = values
    default: throw BatchEncodingError("expected an integer column")
    }
  }

  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    if !int32.isEmpty {
      writer.writeZigZag(Int64(int32[row]))
      return
    }
    let value = int64[row]
    if narrow, Int32(exactly: value) == nil { throw BatchEncodingError("\(value) does not fit an Avro int") }
    writer.writeZigZag(value)
  }
}

final class FloatingWriter: ColumnWriter {
  private var float32: [Float] = []
  private var float64: [Double] = []

  override func bind(_ column: Column) throws(BatchEncodingError) {
    switch column.values {
    case .float32(let values): float32 = values
    case .float64(let values): float64 = values
    default: throw BatchEncodingError("expected a floating-point column")
    }
  }

  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    if !float32.isEmpty {
      writer.writeFloatLittleEndian(float32[row])
    } else {
      writer.writeDoubleLittleEndian(float64[row])
    }
  }
}

/// Strings, bytes and uuids with a length; fixed values without; opaque values (already
/// Avro binary) as they are.
final class BinaryWriter: ColumnWriter {
  enum Framing {
    case lengthPrefixed
    case fixed(Int)
    case raw
  }

  private var offsets: [Int32] = []
  private var bytes: [UInt8] = []
  private let framing: Framing

  init(_ framing: Framing) { self.framing = framing }

  override func bind(_ column: Column) throws(BatchEncodingError) {
    guard case .binary(let offsets, let bytes) = column.values else {
      throw BatchEncodingError("expected a binary column")
    }
    self.offsets = offsets
    self.bytes = bytes
  }

  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    let start = Int(offsets[row])
    let end = Int(offsets[row + 1])
    switch framing {
    case .lengthPrefixed: writer.writeZigZag(Int64(end - start))
    case .fixed(let size):
      guard end - start == size else { throw BatchEncodingError("fixed(\(size)) value of \(end - start) bytes") }
    case .raw: break
    }
    writer.write(bytes[start..<end])
  }
}

/// Unscaled decimal units as two's-complement big-endian bytes.
final class DecimalWriter: ColumnWriter {
  private var values: [Int64] = []
  private let fixedSize: Int?

  init(fixedSize: Int?) { self.fixedSize = fixedSize }

  override func bind(_ column: Column) throws(BatchEncodingError) {
    guard case .int64(let values) = column.values else { throw BatchEncodingError("expected a decimal column") }
    self.values = values
  }

  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    let value = values[row]
    var size = fixedSize ?? 8
    if fixedSize == nil {
      // The shortest encoding that keeps the sign.
      while size > 1 {
        let top = value >> Int64((size - 1) * 8 - 1)
        guard top == 0 || top == -1 else { break }
        size -= 1
      }
      writer.writeZigZag(Int64(size))
    }
    for index in stride(from: size - 1, through: 0, by: -1) {
      writer.write(index >= 8 ? (value < 0 ? 0xFF : 0) : UInt8(truncatingIfNeeded: value >> Int64(index * 8)))
    }
  }
}

final class NullableWriter: ColumnWriter {
  private let inner: ColumnWriter
  private let nullBranch: Int64
  private var validity: Bitmap?

  init(inner: ColumnWriter, nullBranch: Int64) {
    self.inner = inner
    self.nullBranch = nullBranch
  }

  override func bind(_ column: Column) throws(BatchEncodingError) {
    validity = column.validity
    try inner.bind(column)
  }

  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    if let validity, !validity[row] {
      writer.writeZigZag(nullBranch)
      return
    }
    writer.writeZigZag(1 - nullBranch)
    try inner.write(row, into: &writer)
  }
}

final class RecordWriter: ColumnWriter {
  let fields: [ColumnWriter]

  init(fields: [ColumnWriter]) { self.fields = fields }

  override func bind(_ column: Column) throws(BatchEncodingError) {
    guard case .record(let columns, _) = column.values, columns.count == fields.count else {
      throw BatchEncodingError("expected a record column of \(fields.count) fields")
    }
    for (field, child) in zip(fields, columns) { try field.bind(child) }
  }

  func bind(columns: [Column]) throws(BatchEncodingError) {
    guard columns.count == fields.count else { throw BatchEncodingError("expected \(fields.count) columns") }
    for (field, child) in zip(fields, columns) { try field.bind(child) }
  }

  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    for field in fields { try field.write(row, into: &writer) }
  }
}

/// Arrays and maps as one block of all their items.
final class RepeatedWriter: ColumnWriter {
  private let keys: BinaryWriter?
  private let element: ColumnWriter
  private var offsets: [Int32] = []

  init(keys: BinaryWriter?, element: ColumnWriter) {
    self.keys = keys
    self.element = element
  }

  override func bind(_ column: Column) throws(BatchEncodingError) {
    switch column.values {
    case .list(let offsets, let child):
      self.offsets = offsets
      try element.bind(child)
    case .map(let offsets, let keyColumn, let values):
      self.offsets = offsets
      try keys?.bind(keyColumn)
      try element.bind(values)
    default: throw BatchEncodingError("expected an array or map column")
    }
  }

  override func write(_ row: Int, into writer: inout ByteWriter) throws(BatchEncodingError) {
    let start = Int(offsets[row])
    let end = Int(offsets[row + 1])
    if end > start {
      writer.writeZigZag(Int64(end - start))
      for item in start..<end {
        try keys?.write(item, into: &writer)
        try element.write(item, into: &writer)
      }
    }
    writer.write(0)
  }
}

/// A null field: nothing to write.
final class NullWriter: ColumnWriter {}
