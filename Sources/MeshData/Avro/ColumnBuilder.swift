/// Appends the values of one column while records are decoded. The tree of builders is
/// made once per schema (`BatchDecoder`), so each value costs one call of the builder
/// that already knows its type, not a walk over the schema.
class ColumnBuilder {
  let type: DataType

  init(type: DataType) { self.type = type }

  /// Reads one value at the cursor.
  func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {}

  /// Appends a placeholder for a null row (the validity bitmap says it is null).
  func appendPlaceholder() {}

  /// The column of everything appended; the builder starts empty again.
  func finish() -> Column { Column(type: type, values: .boolean([])) }

  func reserveCapacity(_ rows: Int) {}

  /// Keeps the first `count` values: what undoes a record that failed halfway.
  func truncate(to count: Int) {}

  /// The field's name for errors, as a dotted path.
  var path: String = ""
}

/// A value read from the cursor into a fixed-width column. While records are decoded the
/// values are kept as their bits: `ScalarBuilder` is a generic class, whose methods run
/// unspecialized behind the base class's dispatch, and appending to an array of a generic
/// element looks its metadata up each time (about 500 instructions, most of decoding a
/// number); an array of `UInt64` needs no lookup. `column` converts once, at the end.
protocol AvroScalar {
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> UInt64
  static func column(_ bits: [UInt64]) -> ColumnValues
}

final class ScalarBuilder<Scalar: AvroScalar>: ColumnBuilder {
  private var values: [UInt64] = []

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    values.append(try Scalar.read(&cursor))
  }

  /// Zero bits: false, 0, +0.0.
  override func appendPlaceholder() { values.append(0) }

  override func reserveCapacity(_ rows: Int) { values.reserveCapacity(rows) }

  override func truncate(to count: Int) { values.removeSubrange(min(count, values.count)...) }

  override func finish() -> Column {
    defer { values = [] }
    return Column(type: type, values: Scalar.column(values))
  }
}

enum BooleanScalar: AvroScalar {
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> UInt64 {
    let byte = try cursor.byte()
    guard byte <= 1 else { throw .invalid("boolean byte \(byte) is neither 0 nor 1") }
    return UInt64(byte)
  }
  static func column(_ bits: [UInt64]) -> ColumnValues { .boolean(bits.map { $0 != 0 }) }
}

enum IntScalar: AvroScalar {
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> UInt64 {
    UInt64(bitPattern: Int64(try cursor.int()))
  }
  static func column(_ bits: [UInt64]) -> ColumnValues { .int32(bits.map { Int32(truncatingIfNeeded: $0) }) }
}

enum LongScalar: AvroScalar {
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> UInt64 {
    UInt64(bitPattern: try cursor.long())
  }
  static func column(_ bits: [UInt64]) -> ColumnValues { .int64(bits.map { Int64(bitPattern: $0) }) }
}

/// An Avro int held in a long column (time-millis).
enum IntAsLongScalar: AvroScalar {
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> UInt64 {
    UInt64(bitPattern: Int64(try cursor.int()))
  }
  static func column(_ bits: [UInt64]) -> ColumnValues { .int64(bits.map { Int64(bitPattern: $0) }) }
}

enum FloatScalar: AvroScalar {
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> UInt64 { UInt64(try cursor.fixed4()) }
  static func column(_ bits: [UInt64]) -> ColumnValues {
    .float32(bits.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
  }
}

enum DoubleScalar: AvroScalar {
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> UInt64 { try cursor.fixed8() }
  static func column(_ bits: [UInt64]) -> ColumnValues { .float64(bits.map { Double(bitPattern: $0) }) }
}
