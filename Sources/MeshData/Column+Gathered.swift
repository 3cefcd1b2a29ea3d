import MeshBytes

extension Column {
  /// A column whose row `i` is row `rows[i]` of this one, or null where `rows[i]` is
  /// negative: how a join lays its two sides' rows side by side, and how rows kept as
  /// state come back in the order an operator emits them.
  public func gathered(_ rows: [Int32]) -> Column {
    var gatheredValidity: Bitmap?
    if validity != nil || rows.contains(where: { $0 < 0 }) {
      var bits = Bitmap()
      bits.reserveCapacity(rows.count)
      for row in rows { bits.append(row >= 0 && !isNull(Int(row))) }
      gatheredValidity = bits
    }
    return Column(type: type, values: values.gathered(rows), validity: gatheredValidity)
  }
}

extension ColumnValues {
  /// Values of the rows named; a negative row gives a zero value (its validity says null).
  func gathered(_ rows: [Int32]) -> ColumnValues {
    func pick<T>(_ values: [T], _ zero: T) -> [T] { rows.map { $0 >= 0 ? values[Int($0)] : zero } }
    switch self {
    case .boolean(let values): return .boolean(pick(values, false))
    case .int32(let values): return .int32(pick(values, 0))
    case .int64(let values): return .int64(pick(values, 0))
    case .float32(let values): return .float32(pick(values, 0))
    case .float64(let values): return .float64(pick(values, 0))
    case .binary(let offsets, let bytes):
      let gathered = Self.gatheredBytes(rows, offsets: offsets, bytes: bytes)
      return .binary(offsets: gathered.offsets, bytes: gathered.bytes)
    case .record(let fields, _):
      return .record(fields: fields.map { $0.gathered(rows) }, count: rows.count)
    case .list(let offsets, let element):
      let (newOffsets, inner) = Self.children(of: rows, offsets)
      return .list(offsets: newOffsets, element: element.gathered(inner))
    case .map(let offsets, let keys, let values):
      let (newOffsets, inner) = Self.children(of: rows, offsets)
      return .map(offsets: newOffsets, keys: keys.gathered(inner), values: values.gathered(inner))
    }
  }

  /// Byte strings `rows` (in range; a negative one gives an empty string) of `offsets`
  /// and `bytes`, gathered in two passes — their length, then one copy each into a buffer
  /// allocated once — as appending them one by one costs several times the copy.
  public static func gatheredBytes(
    _ rows: [Int32], offsets: [Int32], bytes: [UInt8]
  ) -> (offsets: [Int32], bytes: [UInt8]) {
    offsets.withUnsafeBufferPointer { offsets in
      var total = 0
      for row in rows where row >= 0 { total += Int(offsets[Int(row) + 1]) - Int(offsets[Int(row)]) }
      let newOffsets = [Int32](unsafeUninitializedCapacity: rows.count + 1) { out, initialized in
        out[0] = 0
        var end = 0
        for (position, row) in rows.enumerated() {
          if row >= 0 { end += Int(offsets[Int(row) + 1]) - Int(offsets[Int(row)]) }
          out[position + 1] = Int32(clamping: end)
        }
        initialized = rows.count + 1
      }
      let newBytes = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
        bytes.withUnsafeBytes { source in
          guard let target = out.baseAddress, let base = source.baseAddress else { return }
          var end = 0
          for row in rows where row >= 0 {
            let start = Int(offsets[Int(row)])
            let length = Int(offsets[Int(row) + 1]) - start
            ShortCopy.copy(base + start, to: target + end, count: length)
            end += length
          }
        }
        initialized = total
      }
      return (newOffsets, newBytes)
    }
  }

  /// The offsets of the gathered rows and the child rows they hold, in order.
  private static func children(of rows: [Int32], _ offsets: [Int32]) -> (offsets: [Int32], rows: [Int32]) {
    var newOffsets: [Int32] = [0]
    newOffsets.reserveCapacity(rows.count + 1)
    var inner: [Int32] = []
    for row in rows {
      if row >= 0 { inner.append(contentsOf: offsets[Int(row)]..<offsets[Int(row) + 1]) }
      newOffsets.append(Int32(clamping: inner.count))
    }
    return (newOffsets, inner)
  }
}

extension Column {
  /// This column, with the rows marked in `taking` from `other` (a column of the same
  /// type and length): a full outer join's key, which the side a row lacks cannot give.
  /// Columns of nested or differing kinds come back unchanged.
  public func merged(_ other: Column, taking: [Bool]) -> Column {
    func merge<T>(_ mine: [T], _ theirs: [T]) -> [T] { zip(mine, theirs).enumerated().map { taking[$0] ? $1.1 : $1.0 } }
    var validity = Bitmap()
    validity.reserveCapacity(count)
    for row in 0..<count { validity.append(taking[row] ? !other.isNull(row) : !isNull(row)) }
    let values: ColumnValues
    switch (self.values, other.values) {
    case (.boolean(let a), .boolean(let b)): values = .boolean(merge(a, b))
    case (.int32(let a), .int32(let b)): values = .int32(merge(a, b))
    case (.int64(let a), .int64(let b)): values = .int64(merge(a, b))
    case (.float32(let a), .float32(let b)): values = .float32(merge(a, b))
    case (.float64(let a), .float64(let b)): values = .float64(merge(a, b))
    case (.binary, .binary):
      var offsets: [Int32] = [0]
      var bytes: [UInt8] = []
      for row in 0..<count {
        bytes += taking[row] ? other.binary(row) : binary(row)
        offsets.append(Int32(clamping: bytes.count))
      }
      values = .binary(offsets: offsets, bytes: bytes)
    default: return self
    }
    return Column(type: type, values: values, validity: validity.nullCount > 0 ? validity : nil)
  }
}
