import MeshBytes
import MeshData

/// The values of the page being filled, and the chunk's dictionary: PLAIN bytes, or
/// dictionary indices until the dictionary outgrows its budget. A struct that the chunk
/// writer mutates in one access per batch, so the loop over values pays for no
/// exclusivity checks.
struct PageValues {
  let kind: LeafValueKind
  let columnName: String
  let physicalName: String
  private(set) var usesDictionary: Bool
  private(set) var plain = ByteWriter(capacity: 64 * 1024)
  private(set) var booleans: [Bool] = []
  private(set) var indices: [Int32] = []
  private(set) var dictionary = ByteStringTable()
  private(set) var numbers: NumberDictionary
  private(set) var bounds = ValueBounds()

  init(kind: LeafValueKind, columnName: String, physicalName: String, dictionary: Bool) {
    self.kind = kind
    self.columnName = columnName
    self.physicalName = physicalName
    numbers = NumberDictionary(width: Self.numberWidth(kind))
    switch kind {
    case .boolean, .null: usesDictionary = false
    default: usesDictionary = dictionary
    }
  }

  /// What the page's values take so far, roughly as they will be written.
  var pageBytes: Int { plain.count + indices.count * 2 + booleans.count / 8 }
  /// The dictionary page's size as it will be written (PLAIN: a byte string takes its
  /// 4-byte length too), which the budget limits, as parquet-cpp's
  /// `dictionary_pagesize_limit` does.
  var dictionaryBytes: Int { dictionary.bytes.count + 4 * dictionary.count + numbers.count * numbers.width }
  var dictionaryCount: Int { dictionary.count + numbers.count }

  /// The page's values as they are written, and their encoding; the page starts empty.
  mutating func takePage() -> ([UInt8], ParquetEncoding) {
    defer {
      plain.removeAll()
      booleans.removeAll(keepingCapacity: true)
      indices.removeAll(keepingCapacity: true)
    }
    if usesDictionary {
      let width = RLEHybrid.bitWidth(max(0, dictionaryCount - 1))
      var values = [UInt8(width)]
      RLEHybrid.encode(indices, bitWidth: width, into: &values)
      return (values, .rleDictionary)
    }
    if case .boolean = kind {
      var values = [UInt8](repeating: 0, count: (booleans.count + 7) / 8)
      for (index, flag) in booleans.enumerated() where flag { values[index >> 3] |= 1 << UInt8(index & 7) }
      return (values, .plain)
    }
    return (plain.bytes, .plain)
  }

  /// The rest of the chunk is PLAIN (the pages written keep their indices).
  mutating func stopDictionary() { usesDictionary = false }

  /// The dictionary page's body: the distinct values, PLAIN.
  var dictionaryBody: [UInt8] {
    if numbers.width > 0 { return numbers.plain }
    guard !kind.fixedWidth else { return dictionary.bytes }
    var body = ByteWriter(capacity: dictionary.bytes.count + 4 * dictionary.count)
    for index in 0..<dictionary.count {
      let start = Int(dictionary.offsets[index])
      let end = Int(dictionary.offsets[index + 1])
      body.writeLittleEndian(UInt32(end - start))
      body.write(dictionary.bytes[start..<end])
    }
    return body.bytes
  }

  mutating func append(_ column: Column, _ rows: [Int32]) throws(FormatError) {
    switch (kind, column.values) {
    case (.null, _): return
    case (.boolean, .boolean(let values)):
      for row in rows {
        booleans.append(values[Int(row)])
        bounds.add(Int64(values[Int(row)] ? 1 : 0))
      }
    case (.int32, .int32(let values)):
      for row in rows { bounds.add(Int64(values[Int(row)])) }
      add(numbers: rows) { UInt64(UInt32(bitPattern: values[Int($0)])) }
    case (.int32FromInt64, .int64(let values)):
      for row in rows {
        let value = values[Int(row)]
        guard let narrow = Int32(exactly: value) else {
          throw FormatError("\(value) does not fit the INT32 of \(columnName)")
        }
        bounds.add(value)
        add(number: UInt64(UInt32(bitPattern: narrow)))
      }
    case (.int64, .int64(let values)):
      for row in rows { bounds.add(values[Int(row)]) }
      add(numbers: rows) { UInt64(bitPattern: values[Int($0)]) }
    case (.float, .float32(let values)):
      for row in rows { bounds.add(Double(values[Int(row)])) }
      add(numbers: rows) { UInt64(values[Int($0)].bitPattern) }
    case (.double, .float64(let values)):
      for row in rows { bounds.add(values[Int(row)]) }
      add(numbers: rows) { values[Int($0)].bitPattern }
    case (.binary, .binary(let offsets, let bytes)) where !usesDictionary:
      addPlain(rows, offsets, bytes)
    case (.binary, .binary(let offsets, let bytes)):
      bytes.withUnsafeBytes { raw in
        for row in rows {
          let value = UnsafeRawBufferPointer(rebasing: raw[Int(offsets[Int(row)])..<Int(offsets[Int(row) + 1])])
          add(bytes: value, lengthPrefixed: true)
        }
      }
    case (.fixed(let size), .binary(let offsets, let bytes)):
      for row in rows where offsets[Int(row) + 1] - offsets[Int(row)] != size {
        let count = offsets[Int(row) + 1] - offsets[Int(row)]
        throw FormatError("a value of \(count) bytes in the fixed(\(size)) column \(columnName)")
      }
      bytes.withUnsafeBytes { raw in
        for row in rows {
          let value = UnsafeRawBufferPointer(rebasing: raw[Int(offsets[Int(row)])..<Int(offsets[Int(row) + 1])])
          add(bytes: value, lengthPrefixed: false)
        }
      }
    case (.uuid, .binary(let offsets, let bytes)):
      for row in rows {
        guard let value = UUIDText.bytes(bytes[Int(offsets[Int(row)])..<Int(offsets[Int(row) + 1])]) else {
          throw FormatError("the uuid column \(columnName) holds a value that is not a uuid")
        }
        value.withUnsafeBytes { add(bytes: $0, lengthPrefixed: false) }
      }
    case (.enumSymbols(let symbols), .int32(let values)):
      for row in rows {
        let index = Int(values[Int(row)])
        guard symbols.indices.contains(index) else {
          throw FormatError("enum index \(index) is out of range in \(columnName)")
        }
        symbols[index].withUnsafeBytes { add(bytes: $0, lengthPrefixed: true) }
      }
    default:
      throw FormatError(
        "a \(column.type) column does not match the writer's \(physicalName) \(columnName)")
    }
  }

  static func numberWidth(_ kind: LeafValueKind) -> Int {
    switch kind {
    case .int32, .int32FromInt64, .float: 4
    case .int64, .double: 8
    default: 0
    }
  }

  /// A 4- or 8-byte value by its bits (the low `numbers.width` bytes count).
  /// The numbers of `rows`, by their bits: dictionary indices, or PLAIN bytes written in
  /// place after one append for the batch (an append per value costs about a hundred
  /// instructions, several times the rest of the value's work).
  private mutating func add(numbers rows: [Int32], _ bits: (Int32) -> UInt64) {
    guard !usesDictionary else {
      for row in rows { indices.append(numbers.index(of: bits(row))) }
      return
    }
    let width = numbers.width
    appendPlain(rows.count * width) { out in
      for (position, row) in rows.enumerated() {
        let value = bits(row)
        if width == 4 {
          out.storeBytes(
            of: UInt32(truncatingIfNeeded: value).littleEndian, toByteOffset: position * 4, as: UInt32.self)
        } else {
          out.storeBytes(of: value.littleEndian, toByteOffset: position * 8, as: UInt64.self)
        }
      }
    }
  }

  /// PLAIN byte arrays of `rows` (each its 4-byte length, then its bytes), the same way.
  private mutating func addPlain(_ rows: [Int32], _ offsets: [Int32], _ bytes: [UInt8]) {
    var total = 0
    for row in rows { total += 4 + Int(offsets[Int(row) + 1]) - Int(offsets[Int(row)]) }
    bytes.withUnsafeBytes { raw in
      for row in rows {
        bounds.add(UnsafeRawBufferPointer(rebasing: raw[Int(offsets[Int(row)])..<Int(offsets[Int(row) + 1])]))
      }
      appendPlain(total) { out in
        guard let source = raw.baseAddress, let target = out.baseAddress else { return }
        var at = 0
        for row in rows {
          let (start, end) = (Int(offsets[Int(row)]), Int(offsets[Int(row) + 1]))
          out.storeBytes(of: UInt32(end - start).littleEndian, toByteOffset: at, as: UInt32.self)
          ShortCopy.copy(source + start, to: target + at + 4, count: end - start)
          at += 4 + end - start
        }
      }
    }
  }

  /// `count` bytes more on the page, written by `fill` in place.
  private mutating func appendPlain(_ count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
    let start = plain.bytes.count
    plain.bytes.append(contentsOf: repeatElement(0, count: count))
    plain.bytes.withUnsafeMutableBytes { fill(UnsafeMutableRawBufferPointer(rebasing: $0[start...])) }
  }

  @inline(__always) private mutating func add(number bits: UInt64) {
    if usesDictionary {
      indices.append(numbers.index(of: bits))
    } else if numbers.width == 4 {
      plain.writeLittleEndian(UInt32(truncatingIfNeeded: bits))
    } else {
      plain.writeLittleEndian(bits)
    }
  }

  /// A dictionary's entries are its chunk's distinct values: only a new one can move the
  /// bounds, which spares comparing every value.
  /// PLAIN byte arrays carry their length; fixed-length ones do not.
  @inline(__always) private mutating func add(bytes value: UnsafeRawBufferPointer, lengthPrefixed: Bool) {
    if usesDictionary {
      let known = dictionary.count
      indices.append(dictionary.index(of: value))
      if dictionary.count != known { bounds.add(value) }
    } else {
      bounds.add(value)
      if lengthPrefixed { plain.writeLittleEndian(UInt32(value.count)) }
      plain.write(value)
    }
  }
}
