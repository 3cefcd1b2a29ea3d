import Foundation
import MeshConnectors
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshLog
import MeshPlan
import MeshSchema

extension ProductRunner {
  /// A record read from an upstream port, in the order the product sees them.
  private struct Pending {
    var time: Int64
    var input: Int
    var partition: Int
    var offset: Int64
    var key: [UInt8]?
    /// Nil for a tombstone (a key without a value: the key is deleted).
    var value: [UInt8]?
  }

  /// Reads what the upstream products committed past this product's positions, every
  /// partition up to its committed end, and pushes the records of all port inputs merged
  /// in event-time order (then input, partition, offset), so that windows and joins see
  /// one order whatever the partitioning and however the upstream runs were split.
  /// Records of aborted attempts are skipped; one checkpoint commits the new positions.
  func readPorts(_ inputs: [ProductRunSpec.PortInput]) throws(RunFailure) {
    var pending: [Pending] = []
    var positions: [String: [String: Int64]] = [:]
    for (number, input) in inputs.enumerated() {
      guard let read = try readPort(input, number: number) else { continue }
      pending += read.records
      positions[input.topic] = read.positions
    }
    guard !positions.isEmpty else { return }
    pending.sort { ($0.time, $0.input, $0.partition, $0.offset) < ($1.time, $1.input, $1.partition, $1.offset) }
    let registry = SchemaRegistry(log: log)
    var writers: [Int: Schema] = [:]
    var letters: [DeadLetter] = []
    var start = 0
    while start < pending.count {
      let input = inputs[pending[start].input]
      if pending[start].value == nil {
        let record = pending[start]
        summary.recordsIn += 1
        if let key = record.key, !(joinsByTable[input.name] ?? []).isEmpty {
          letters += try deleteFromTables(read: input.name, primaryKey: key, at: record.time) + endOfBatch()
        } else {
          letters.append(
            DeadLetter(
              step: input.name, reason: "a record without a value, and \(input.name) is not read as a table",
              source: "\(input.topic):\(record.partition):\(record.offset)", record: record.key ?? []))
        }
        start += 1
        continue
      }
      // A run of one input's records, up to a batch.
      var end = start
      while end < pending.count, end - start < RecordBatch.preferredRowCount,
        pending[end].input == pending[start].input,
        pending[end].value != nil
      {
        end += 1
      }
      guard let decoder = BatchDecoder(input.schema) else { throw RunFailure("input \(input.name): not a record") }
      let reading = AvroBinary(input.schema)
      for record in pending[start..<end] {
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
      start = end
      let batch = decoder.finish()
      summary.recordsIn += batch.count
      if batch.count > 0 { letters += try push(batch, from: input.name) + endOfBatch() }
    }
    try writeDeadLetters(letters)
    for (topic, partitions) in positions {
      for (key, position) in partitions { checkpoint.positions[topic, default: [:]][key] = position }
    }
    try commit()
  }

  /// One port's new committed records and the positions after them; nil when there is
  /// nothing new.
  private func readPort(
    _ input: ProductRunSpec.PortInput, number: Int
  ) throws(RunFailure) -> (
    records: [Pending], positions: [String: Int64]
  )? {
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
    var pending: [Pending] = []
    var positions: [String: Int64] = [:]
    for partition in topic.partitions {
      let key = String(partition.id)
      let end = upstream.topicEnds[input.topic]?[key] ?? 0
      var position = checkpoint.positions[input.topic]?[key] ?? 0
      guard position < end else { continue }
      do {
        let reader = try partition.reader(from: Offset(position), clamp: true)
        while position < end {
          let before = position
          _ = try reader.forEachRecord(maxRecords: Int(min(4096, end - position))) { record in
            guard record.offset.value < end else { return false }
            position = record.offset.value + 1
            if upstream.isCommitted(topic: input.topic, partition: partition.id, offset: record.offset.value) {
              pending.append(
                Pending(
                  time: record.timestamp, input: number, partition: partition.id, offset: record.offset.value,
                  key: record.key.map { Array($0) }, value: record.value.map { Array($0) }))
            }
            return true
          }
          if position == before { break }
        }
      } catch {
        throw RunFailure("input \(input.name): reading \(input.topic): \(error)")
      }
      positions[key] = position
    }
    return positions.isEmpty ? nil : (pending, positions)
  }
}
