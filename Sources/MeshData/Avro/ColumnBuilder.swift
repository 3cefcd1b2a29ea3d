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

/// A value read from the cursor into a fixed-width array.
protocol AvroScalar {
  associatedtype Value
  static var placeholder: Value { get }
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> Value
  static func column(_ values: [Value]) -> ColumnValues
}

final class ScalarBuilder<Scalar: AvroScalar>: ColumnBuilder {
  private var values: [Scalar.Value] = []

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    values.append(try Scalar.read(&cursor))
  }

  override func appendPlaceholder() { values.append(Scalar.placeholder) }

  override func reserveCapacity(_ rows: Int) { values.reserveCapacity(rows) }

  override func truncate(to count: Int) { values.removeSubrange(min(count, values.count)...) }

  override func finish() -> Column {
    defer { values = [] }
    return Column(type: type, values: Scalar.column(values))
  }
}

enum BooleanScalar: AvroScalar {
  static var placeholder: Bool { false }
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> Bool {
    let byte = try cursor.byte()
    guard byte <= 1 else { throw .invalid("boolean byte \(byte) is neither 0 nor 1") }
    return byte == 1
  }
  static func column(_ values: [Bool]) -> ColumnValues { .boolean(values) }
}

enum IntScalar: AvroScalar {
  static var placeholder: Int32 { 0 }
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> Int32 { try cursor.int() }
  static func column(_ values: [Int32]) -> ColumnValues { .int32(values) }
}

enum LongScalar: AvroScalar {
  static var placeholder: Int64 { 0 }
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> Int64 { try cursor.long() }
  static func column(_ values: [Int64]) -> ColumnValues { .int64(values) }
}

/// An Avro int held in a long column (time-millis).
enum IntAsLongScalar: AvroScalar {
  static var placeholder: Int64 { 0 }
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> Int64 { Int64(try cursor.int()) }
  static func column(_ values: [Int64]) -> ColumnValues { .int64(values) }
}

enum FloatScalar: AvroScalar {
  static var placeholder: Float { 0 }
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> Float {
    Float(bitPattern: try cursor.fixed4())
  }
  static func column(_ values: [Float]) -> ColumnValues { .float32(values) }
}

enum DoubleScalar: AvroScalar {
  static var placeholder: Double { 0 }
  static func read(_ cursor: inout AvroCursor) throws(BatchDecodingError) -> Double {
    Double(bitPattern: try cursor.fixed8())
  }
  static func column(_ values: [Double]) -> ColumnValues { .float64(values) }
}
