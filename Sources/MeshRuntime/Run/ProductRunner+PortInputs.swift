import Foundation
import HeapModule
import MeshConnectors
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshLog
import MeshPlan
import MeshSchema

/// A record read from an upstream port, in the order the product sees them.
struct PortRecord {
  var time: Int64
  var input: Int
  var partition: Int
  var offset: Int64
  var key: [UInt8]?
  /// Nil for a tombstone (a key without a value: the key is deleted).
  var value: [UInt8]?

  /// The merge's order: event time, then input, partition, offset.
  func precedes(_ other: PortRecord) -> Bool {
    (time, input, partition, offset) < (other.time, other.input, other.partition, other.offset)
  }
}

/// Port records in the merge's order, for the reorder heap.
struct EarliestRecord: Comparable {
  var record: PortRecord
  static func < (a: EarliestRecord, b: EarliestRecord) -> Bool { a.record.precedes(b.record) }
  static func == (a: EarliestRecord, b: EarliestRecord) -> Bool { !(a < b) && !(b < a) }
}

/// One partition of an upstream port, read a piece at a time up to what the upstream
/// committed, skipping the records of its aborted attempts.
final class PortCursor {
  let topic: String
  let partition: Int
  let input: Int
  private let reader: PartitionReader
  private let upstream: ProductCheckpoint
  private let end: Int64
  private var readPosition: Int64
  private var buffer: [PortRecord] = []
  private var next = 0
  /// The reader stopped giving records before the committed end; the rest waits for the
  /// next run, from `position`.
  private var stalled = false

  init(
    topic: String, partition: Partition, input: Int, from position: Int64, end: Int64, upstream: ProductCheckpoint,
    skipsDamage: Bool
  ) throws(LogError) {
    self.topic = topic
    self.partition = partition.id
    self.input = input
    self.end = end
    self.upstream = upstream
    readPosition = position
    reader = try partition.reader(from: Offset(position), clamp: true)
    reader.skipsDamage = skipsDamage
  }

  /// What the reader stepped over since the last call (with `skipsDamage`).
  func takeSkipped() -> [String] {
    defer { reader.skipped.removeAll() }
    return reader.skipped
  }

  /// Where this product's position in the partition is: the first record not taken.
  var position: Int64 { next < buffer.count ? buffer[next].offset : readPosition }

  /// Records up to the committed end not taken yet (aborted ones included).
  var remaining: Int64 { max(0, end - position) }

  func head() throws(LogError) -> PortRecord? {
    while next == buffer.count, readPosition < end, !stalled {
      buffer.removeAll(keepingCapacity: true)
      next = 0
      let before = readPosition
      _ = try reader.forEachRecord(maxRecords: Int(min(4096, end - readPosition))) { record in
        guard record.offset.value < end else { return false }
        readPosition = record.offset.value + 1
        if upstream.isCommitted(topic: topic, partition: partition, offset: record.offset.value) {
          buffer.append(
            PortRecord(
              time: record.timestamp, input: input, partition: partition, offset: record.offset.value,
              key: record.key.map { Array($0) }, value: record.value.map { Array($0) }))
        }
        return true
      }
      // Stepping over lost records moves the reader without a record to show for it.
      readPosition = max(readPosition, min(reader.position.value, end))
      if readPosition == before { stalled = true }
    }
    return next < buffer.count ? buffer[next] : nil
  }

  func take() { next += 1 }
}

extension ProductRunner {
  /// Records held to put in event-time order: a partition's records are in the order the
  /// upstream wrote them, which is not quite its records' time order.
  static let reorderCapacity = 1 << 18

  /// Reads what the upstream products committed past this product's positions, every
  /// partition up to its committed end, and pushes the records of all port inputs in
  /// event-time order (then input, partition, offset), so that windows and joins see one
  /// order whatever the partitioning and however the upstream runs were split: the
  /// partitions are merged a piece at a time into a heap of up to 262,144 records, whose
  /// earliest go on — the order is exact for records less than that many apart, and
  /// memory does not grow with the input. Records of aborted attempts are skipped; one
  /// checkpoint commits the positions at the end.
  func readPorts(_ inputs: [ProductRunSpec.PortInput]) throws(RunFailure) {
    var cursors: [PortCursor] = []
    for (number, input) in inputs.enumerated() { cursors += try openCursors(input, number: number) }
    guard !cursors.isEmpty else { return }
    var run: [PortRecord] = []
    var letters: [DeadLetter] = []
    var reorder = Heap<EarliestRecord>()
    let registry = SchemaRegistry(log: log)
    var writers: [Int: Schema] = [:]
    func flush() throws(RunFailure) {
      guard let first = run.first else { return }
      letters += try pushRun(run, of: inputs[first.input], registry: registry, writers: &writers)
      run.removeAll(keepingCapacity: true)
      if let progress {
        let left = cursors.reduce(Int64(reorder.count)) { $0 + $1.remaining }
        progress(RunProgress(summary: summary, lag: .records(left)))
      }
    }
    var exhausted = false
    while true {
      // Fill the heap from the partitions' heads, earliest first, until it is full.
      while !exhausted, reorder.count < Self.reorderCapacity {
        var earliest: (cursor: Int, record: PortRecord)?
        for (index, cursor) in cursors.enumerated() {
          let head: PortRecord?
          do {
            head = try cursor.head()
          } catch {
            throw RunFailure("input \(inputs[cursor.input].name): reading \(cursor.topic): \(error)")
          }
          if let head, earliest.map({ head.precedes($0.record) }) ?? true { earliest = (index, head) }
        }
        guard let (index, record) = earliest else {
          exhausted = true
          break
        }
        cursors[index].take()
        reorder.insert(EarliestRecord(record: record))
      }
      guard let record = reorder.popMin()?.record else { break }
      if let last = run.last,
        last.input != record.input || run.count == RecordBatch.preferredRowCount
          || record.value == nil
      {
        try flush()
      }
      guard record.value == nil else {
        run.append(record)
        continue
      }
      let input = inputs[record.input]
      summary.recordsIn += 1
      if let key = record.key, !(joinsByTable[input.name] ?? []).isEmpty {
        letters += try deleteFromTables(read: input.name, primaryKey: key, at: record.time) + endOfBatch()
      } else {
        letters.append(
          DeadLetter(
            step: input.name, reason: "a record without a value, and \(input.name) is not read as a table",
            source: "\(input.topic):\(record.partition):\(record.offset)", record: record.key ?? []))
      }
    }
    try flush()
    try commitPorts(cursors, letters: &letters)
  }

  /// Writes the dead letters so far, then commits the cursors' positions with the rest.
  private func commitPorts(_ cursors: [PortCursor], letters: inout [DeadLetter]) throws(RunFailure) {
    try writeDeadLetters(letters)
    letters.removeAll()
    for cursor in cursors {
      checkpoint.positions[cursor.topic, default: [:]][String(cursor.partition)] = cursor.position
      summary.skipped += cursor.takeSkipped()
    }
    try commit()
  }

  /// Decodes a run of one input's records into a batch (values resolved from the schema
  /// they were written with) and pushes it; what does not decode is dead-lettered.
  private func pushRun(
    _ run: [PortRecord], of input: ProductRunSpec.PortInput, registry: SchemaRegistry, writers: inout [Int: Schema]
  ) throws(RunFailure) -> [DeadLetter] {
    guard let decoder = BatchDecoder(input.schema) else { throw RunFailure("input \(input.name): not a record") }
    let reading = AvroBinary(input.schema)
    var letters: [DeadLetter] = []
    for record in run {
      let value = record.value ?? []
      do {
        guard let (id, payload) = WireFormat.unframe(value) else {
          throw RunFailure("the value is not framed")
        }
        if writers[id] == nil { writers[id] = try registry.schema(id: id).schema }
        guard let writer = writers[id] else { continue }
        if writer.canonicalForm == input.schema.canonicalForm {
          try decoder.append(payload)
        } else {
          let resolved = try AvroResolver(writer: writer, reader: input.schema).resolve(
            try AvroBinary(writer).decode(payload))
          try decoder.append(try reading.encode(resolved))
        }
      } catch {
        summary.recordsIn += 1
        letters.append(
          DeadLetter(
            step: input.name, reason: "\(error)", source: "\(input.topic):\(record.partition):\(record.offset)",
            record: value))
      }
    }
    let batch = decoder.finish()
    summary.recordsIn += batch.count
    if batch.count > 0 { letters += try push(batch, from: input.name) + endOfBatch() }
    return letters
  }

  /// A cursor per partition of the port with records past this product's position;
  /// none when the upstream committed nothing new.
  private func openCursors(_ input: ProductRunSpec.PortInput, number: Int) throws(RunFailure) -> [PortCursor] {
    guard let products = spec.productsDirectory,
      let upstream = try CheckpointStore(directory: products.appendingPathComponent(input.product)).latest()
    else {
      throw RunFailure("input \(input.name): \(input.product) has not run on this data directory yet: run it first")
    }
    let topic: Topic
    do {
      topic = try log.topic(input.topic)
    } catch {
      throw RunFailure("input \(input.name): the topic \(input.topic) of \(input.product): \(error)")
    }
    var cursors: [PortCursor] = []
    for partition in topic.partitions {
      let key = String(partition.id)
      let end = upstream.topicEnds[input.topic]?[key] ?? 0
      let position = checkpoint.positions[input.topic]?[key] ?? 0
      guard position < end else { continue }
      do {
        cursors.append(
          try PortCursor(
            topic: input.topic, partition: partition, input: number, from: position, end: end, upstream: upstream,
            skipsDamage: spec.skipsDamage))
      } catch {
        throw RunFailure("input \(input.name): reading \(input.topic): \(error)")
      }
    }
    return cursors
  }
}
