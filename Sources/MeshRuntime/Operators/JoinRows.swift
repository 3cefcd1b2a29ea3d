import MeshBytes
import MeshData
import MeshPlan
import MeshSchema

/// One side of a join: how its rows are kept as bytes in the join's state, and where its
/// join key and event time are.
struct JoinInput {
  let schema: RecordSchema
  let avro: Schema
  let encoder: BatchEncoder
  let key: [Int]
  let time: Int
  let unitsPerMillisecond: Int64

  init(_ schema: RecordSchema, key: [Int], time: Int, step: String) throws(RunFailure) {
    guard let avro = schema.avroSchema, let encoder = BatchEncoder(avro) else {
      throw RunFailure("step \(step): the records of \(schema.name) cannot be kept as state")
    }
    guard schema.fields.indices.contains(time), case .timestamp(let unit, _) = schema.fields[time].type else {
      throw RunFailure("step \(step): a join needs both sides' event time as a timestamp field")
    }
    self.schema = schema
    self.avro = avro
    self.encoder = encoder
    self.key = key
    self.time = time
    unitsPerMillisecond = max(1, unit.perSecond / 1000)
  }

  /// Each selected row's position, event time (milliseconds; Int64.min when null) and
  /// join key (nil when a key field is null: it joins nothing).
  func timesAndKeys(_ batch: RecordBatch) -> [(row: Int, time: Int64, key: [UInt8]?)] {
    var records: [(row: Int, time: Int64, key: [UInt8]?)] = []
    records.reserveCapacity(batch.count)
    forEachTimeAndKey(batch) { row, time, key in records.append((row, time, key.map { Array($0) })) }
    return records
  }

  /// Calls `body` with each selected row's position, event time (milliseconds; Int64.min
  /// when null) and join key's bytes (nil when a key field is null), the key built in one
  /// reused buffer: valid only during the call.
  func forEachTimeAndKey(
    _ batch: RecordBatch, _ body: (Int, Int64, UnsafeRawBufferPointer?) -> Void
  ) {
    guard case .int64(let times) = batch.columns[time].values else { return }
    let column = batch.columns[time]
    if key.count == 1, case .binary(let offsets, let bytes) = batch.columns[key[0]].values {
      // One string key: its bytes are the key's, read where they lie.
      let keyColumn = batch.columns[key[0]]
      bytes.withUnsafeBytes { bytes in
        for row in batch.rows {
          let eventTime = column.isNull(row) ? Int64.min : times[row].floorDivided(by: unitsPerMillisecond)
          if keyColumn.isNull(row) {
            body(row, eventTime, nil)
          } else {
            body(row, eventTime, UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[row])..<Int(offsets[row + 1])]))
          }
        }
      }
      return
    }
    var scratch: [UInt8] = []
    for row in batch.rows {
      let eventTime = column.isNull(row) ? Int64.min : times[row].floorDivided(by: unitsPerMillisecond)
      if key.contains(where: { batch.columns[$0].isNull(row) }) {
        body(row, eventTime, nil)
        continue
      }
      scratch.removeAll(keepingCapacity: true)
      RecordKey.append(batch, fields: key, row: row, to: &scratch)
      scratch.withUnsafeBytes { body(row, eventTime, $0) }
    }
  }

  /// The bytes of the rows `rows` of `batch`, to keep as state.
  func encoded(_ batch: RecordBatch, rows: [Int], step: String) throws(RunFailure) -> [[UInt8]] {
    var subset = batch
    subset.selection = rows.map { Int32($0) }
    var encoded: [[UInt8]] = []
    encoded.reserveCapacity(rows.count)
    do {
      try encoder.encode(subset) { _, bytes in encoded.append(bytes) }
    } catch {
      throw RunFailure("step \(step): a record cannot be kept as state: \(error)")
    }
    return encoded
  }

  /// Calls `body` with each selected row's position, event time, join key and bytes.
  func forEachRow(
    _ batch: RecordBatch, step: String, _ body: (Int, Int64, [UInt8]?, [UInt8]) throws(RunFailure) -> Void
  ) throws(RunFailure) {
    let rows = timesAndKeys(batch)
    let bytes = try encoded(batch, rows: rows.map(\.row), step: step)
    for (row, bytes) in zip(rows, bytes) { try body(row.row, row.time, row.key, bytes) }
  }

  /// The text of the key fields of `row`, as the log holds keys; nil when one is null.
  static func key(_ batch: RecordBatch, _ fields: [Int], _ row: Int) -> [UInt8]? {
    if fields.contains(where: { batch.columns[$0].isNull(row) }) { return nil }
    return RecordKey.text(batch, fields: fields, row: row)
  }
}

/// Joined rows as they are found: a left row, a right row, or both (null on the side a
/// row has none); `batch` lays them out in the step's schema.
struct JoinedRows {
  private var left: [[UInt8]] = []
  private var right: [[UInt8]] = []
  private var leftIndex: [Int32] = []
  private var rightIndex: [Int32] = []
  private var rightPositions: [RowIdentity: Int32] = [:]

  /// A row's storage address, hashed with one mix rather than a SipHash.
  private struct RowIdentity: Hashable {
    let address: UInt
    func hash(into hasher: inout Hasher) { hasher.combine(address) }
    func _rawHashValue(seed: Int) -> Int {
      Int(truncatingIfNeeded: ByteHash.mix(UInt64(address ^ UInt(bitPattern: seed))))
    }
  }

  var isEmpty: Bool { leftIndex.isEmpty }

  /// A row of the left side, to pair; its position.
  mutating func addLeft(_ row: [UInt8]) -> Int32 {
    left.append(row)
    return Int32(left.count - 1)
  }

  /// A row of the right side, to pair; its position. The same row (the same array, as a
  /// table's version is for every record it joins) is kept and decoded once per batch.
  mutating func addRight(_ row: [UInt8]) -> Int32 {
    // The arrays `right` holds stay alive, so their storage is not reused while this lives.
    let identity = row.withUnsafeBytes { $0.baseAddress.map { RowIdentity(address: UInt(bitPattern: $0)) } }
    if let identity, let known = rightPositions[identity] { return known }
    right.append(row)
    let position = Int32(right.count - 1)
    if let identity { rightPositions[identity] = position }
    return position
  }

  /// A joined row of the rows at these positions; -1 for none (its fields null).
  mutating func pair(left leftRow: Int32, right rightRow: Int32) {
    leftIndex.append(leftRow)
    rightIndex.append(rightRow)
  }

  /// The joined rows in the step's schema. With `leftColumns`, the left positions are
  /// rows of those columns (records joined as they came, never kept as bytes).
  /// `coalescing`: output positions of left key fields → the right's key field, whose
  /// value a row without a left side takes (full outer joins).
  func batch(
    _ schema: RecordSchema, columns: [(side: JoinSide, index: Int)], left leftInput: JoinInput,
    right rightInput: JoinInput, leftColumns: [Column]? = nil, coalescing: [Int: Int] = [:], step: String
  ) throws(RunFailure) -> OperatorOutput {
    guard !isEmpty else { return OperatorOutput() }
    guard let leftRows = BatchDecoder(leftInput.avro), let rightRows = BatchDecoder(rightInput.avro) else {
      throw RunFailure("step \(step): its records cannot be read back")
    }
    do {
      if leftColumns == nil { for row in left { try leftRows.append(row) } }
      for row in right { try rightRows.append(row) }
    } catch {
      throw RunFailure("step \(step): its records cannot be read back: \(error)")
    }
    let leftSide = leftColumns ?? leftRows.finish().columns
    let rightSide = rightRows.finish().columns
    var joined = columns.map { column in
      column.side == .left
        ? leftSide[column.index].gathered(leftIndex) : rightSide[column.index].gathered(rightIndex)
    }
    if !coalescing.isEmpty, leftIndex.contains(-1) {
      let missing = leftIndex.map { $0 < 0 }
      for (position, key) in coalescing {
        joined[position] = joined[position].merged(rightSide[key].gathered(rightIndex), taking: missing)
      }
    }
    return OperatorOutput(batches: [RecordBatch(schema: schema, columns: joined, rowCount: leftIndex.count)])
  }
}
