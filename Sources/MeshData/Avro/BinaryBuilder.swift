import MeshBytes
import MeshSchema

/// Strings, bytes, uuids, fixed values and opaque values: offsets into one byte buffer.
final class BinaryBuilder: ColumnBuilder {
  enum Source {
    case lengthPrefixed(validateUTF8: Bool)
    case fixed(Int)
    /// A value columns do not take apart, kept as its own Avro binary encoding.
    case avroValue(AvroBinary, AvroType)
  }

  private let source: Source
  /// One stored property, so that a value costs one exclusivity check of the class's
  /// storage, not one per array touched.
  private var storage = Storage()

  private struct Storage {
    var offsets: [Int32] = [0]
    var bytes: [UInt8] = []

    /// False when the batch's text would pass what Int32 offsets reach.
    mutating func append(_ value: UnsafeRawBufferPointer) -> Bool {
      bytes.append(contentsOf: value)
      guard let end = Int32(exactly: bytes.count) else { return false }
      offsets.append(end)
      return true
    }
  }

  init(type: DataType, source: Source) {
    self.source = source
    super.init(type: type)
  }

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    let range: Range<Int>
    switch source {
    case .lengthPrefixed(let validate):
      range = try cursor.lengthPrefixed()
      if validate, !UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: bytes[range])) {
        throw .invalid("string is not valid UTF-8")
      }
    case .fixed(let size):
      range = try cursor.take(size)
    case .avroValue(let avro, let avroType):
      // Decoding the value is how its end is found; its bytes are then kept as they were.
      var reader = ByteReader(Array(bytes[cursor.offset...]))
      do {
        _ = try avro.decode(avroType, from: &reader)
      } catch {
        throw .invalid(error.description)
      }
      range = try cursor.take(reader.offset)
    }
    guard storage.append(UnsafeRawBufferPointer(rebasing: bytes[range])) else {
      throw .invalid("a batch holds at most 2 GiB of text")
    }
  }

  override func appendPlaceholder() {
    if case .fixed(let size) = source { storage.bytes.append(contentsOf: repeatElement(0, count: size)) }
    storage.offsets.append(Int32(truncatingIfNeeded: storage.bytes.count))
  }

  override func reserveCapacity(_ rows: Int) { storage.offsets.reserveCapacity(rows + 1) }

  override func truncate(to count: Int) {
    guard count + 1 < storage.offsets.count else { return }
    storage.bytes.removeSubrange(Int(storage.offsets[count])...)
    storage.offsets.removeSubrange((count + 1)...)
  }

  override func finish() -> Column {
    defer { storage = Storage() }
    return Column(type: type, values: .binary(offsets: storage.offsets, bytes: storage.bytes))
  }
}

/// An enum's symbol index, checked against the symbols.
final class EnumBuilder: ColumnBuilder {
  private let symbolCount: Int
  private var values: [Int32] = []

  init(type: DataType, symbolCount: Int) {
    self.symbolCount = symbolCount
    super.init(type: type)
  }

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    let index = try cursor.long()
    guard index >= 0, index < symbolCount else {
      throw .invalid("enum index \(index) out of range 0..<\(symbolCount)")
    }
    values.append(Int32(index))
  }

  override func appendPlaceholder() { values.append(0) }

  override func truncate(to count: Int) { values.removeSubrange(min(count, values.count)...) }

  override func finish() -> Column {
    defer { values = [] }
    return Column(type: type, values: .int32(values))
  }
}

/// A decimal's two's-complement big-endian bytes (Avro `bytes` or `fixed`) as an Int64
/// of unscaled units.
final class DecimalBuilder: ColumnBuilder {
  private let fixedSize: Int?
  private var values: [Int64] = []

  init(type: DataType, fixedSize: Int?) {
    self.fixedSize = fixedSize
    super.init(type: type)
  }

  override func decode(_ cursor: inout AvroCursor, bytes: UnsafeRawBufferPointer) throws(BatchDecodingError) {
    let range: Range<Int>
    if let fixedSize { range = try cursor.take(fixedSize) } else { range = try cursor.lengthPrefixed() }
    values.append(try Self.unscaled(bytes[range]))
  }

  static func unscaled(_ bytes: Slice<UnsafeRawBufferPointer>) throws(BatchDecodingError) -> Int64 {
    guard let first = bytes.first else { return 0 }
    var value: Int64 = first & 0x80 != 0 ? -1 : 0
    for (index, byte) in bytes.enumerated() {
      // Leading sign bytes beyond eight are allowed only when they repeat the sign.
      if index < bytes.count - 8 {
        guard byte == (first & 0x80 != 0 ? 0xFF : 0) else { throw .invalid("decimal does not fit 18 digits") }
        continue
      }
      value = (value << 8) | Int64(byte)
    }
    return value
  }

  override func appendPlaceholder() { values.append(0) }

  override func truncate(to count: Int) { values.removeSubrange(min(count, values.count)...) }

  override func finish() -> Column {
    defer { values = [] }
    return Column(type: type, values: .int64(values))
  }
}
