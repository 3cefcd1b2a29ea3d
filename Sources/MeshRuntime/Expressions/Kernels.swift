import MeshData

/// The loops every node's work comes down to: one pass over the rows of a batch with
/// the operation inlined, over unsafe buffers so that the compiler can vectorize them.
enum Kernels {
  @inline(__always)
  static func map<A: FixedWidthValue, R>(_ a: Operand<A>, count: Int, _ f: (A) -> R) -> [R] {
    guard count > 0 else { return [] }
    switch a {
    case .scalar(let x):
      return [R](repeating: f(x), count: count)
    case .values(let xs):
      return xs.withUnsafeBufferPointer { x in
        [R](unsafeUninitializedCapacity: count) { out, initialized in
          for i in 0..<count { out.initializeElement(at: i, to: f(x[i])) }
          initialized = count
        }
      }
    }
  }

  @inline(__always)
  static func map<A: FixedWidthValue, B: FixedWidthValue, R>(
    _ a: Operand<A>, _ b: Operand<B>, count: Int, _ f: (A, B) -> R
  ) -> [R] {
    guard count > 0 else { return [] }
    switch (a, b) {
    case (.values(let xs), .values(let ys)):
      return xs.withUnsafeBufferPointer { x in
        ys.withUnsafeBufferPointer { y in
          [R](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count { out.initializeElement(at: i, to: f(x[i], y[i])) }
            initialized = count
          }
        }
      }
    case (.values(let xs), .scalar(let y)):
      return xs.withUnsafeBufferPointer { x in
        [R](unsafeUninitializedCapacity: count) { out, initialized in
          for i in 0..<count { out.initializeElement(at: i, to: f(x[i], y)) }
          initialized = count
        }
      }
    case (.scalar(let x), .values(let ys)):
      return ys.withUnsafeBufferPointer { y in
        [R](unsafeUninitializedCapacity: count) { out, initialized in
          for i in 0..<count { out.initializeElement(at: i, to: f(x, y[i])) }
          initialized = count
        }
      }
    case (.scalar(let x), .scalar(let y)):
      return [R](repeating: f(x, y), count: count)
    }
  }

  /// Row `i` of a string operand as bytes, for the string functions (slower than the
  /// fixed-width loops, which is why comparisons of strings have their own below).
  @inline(__always)
  static func bytes(_ operand: BinaryOperand, _ row: Int) -> ArraySlice<UInt8> {
    switch operand {
    case .values(let offsets, let bytes): bytes[Int(offsets[row])..<Int(offsets[row + 1])]
    case .scalar(let bytes): bytes[...]
    }
  }

  /// Compares row by row with `f` on the byte order of the two strings (-1, 0, 1).
  static func compareBinary(_ a: BinaryOperand, _ b: BinaryOperand, count: Int, _ f: (Int) -> Bool) -> [Bool] {
    guard count > 0 else { return [] }
    return [Bool](unsafeUninitializedCapacity: count) { out, initialized in
      withBase(a) { aBytes, aOffsets, aLength in
        withBase(b) { bBytes, bOffsets, bLength in
          for i in 0..<count {
            let aStart = aOffsets.map { Int($0[i]) } ?? 0
            let aCount = aOffsets.map { Int($0[i + 1]) - Int($0[i]) } ?? aLength
            let bStart = bOffsets.map { Int($0[i]) } ?? 0
            let bCount = bOffsets.map { Int($0[i + 1]) - Int($0[i]) } ?? bLength
            let common = min(aCount, bCount)
            var order = 0
            if common > 0, let aBase = aBytes, let bBase = bBytes {
              let difference = memcmp(aBase + aStart, bBase + bStart, common)
              order = difference < 0 ? -1 : difference > 0 ? 1 : 0
            }
            if order == 0 { order = aCount < bCount ? -1 : aCount > bCount ? 1 : 0 }
            out.initializeElement(at: i, to: f(order))
          }
        }
      }
      initialized = count
    }
  }

  /// The bytes of an operand and, for a column, its offsets (nil for a scalar, whose
  /// length is then given).
  private static func withBase<R>(
    _ operand: BinaryOperand,
    _ body: (UnsafePointer<UInt8>?, UnsafeBufferPointer<Int32>?, Int) -> R
  ) -> R {
    switch operand {
    case .values(let offsets, let bytes):
      bytes.withUnsafeBufferPointer { b in offsets.withUnsafeBufferPointer { o in body(b.baseAddress, o, 0) } }
    case .scalar(let bytes):
      bytes.withUnsafeBufferPointer { b in body(b.baseAddress, nil, bytes.count) }
    }
  }

  /// Builds a string column row by row.
  static func binaryColumn(count: Int, type: DataType, _ row: (Int, inout [UInt8]) -> Bool) -> Column {
    var bytes: [UInt8] = []
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(count + 1)
    var validity = Bitmap(repeating: true, count: count)
    var anyNull = false
    for i in 0..<count {
      if !row(i, &bytes) {
        validity[i] = false
        anyNull = true
      }
      offsets.append(Int32(truncatingIfNeeded: bytes.count))
    }
    return Column(type: type, values: .binary(offsets: offsets, bytes: bytes), validity: anyNull ? validity : nil)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
