import Foundation
import MeshConnectors
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshLog
import MeshPlan
import MeshSchema

extension ProductRunner {
  /// Reads what the upstream product committed past this product's positions, every
  /// partition up to its committed end, and pushes the records in event-time order (then
  /// partition, then offset), so that windows see one order whatever the partitioning.
  /// Records of aborted attempts are skipped; one checkpoint commits the new positions.
  func readPort(_ input: ProductRunSpec.PortInput) throws(RunFailure) {
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
    struct Pending {
      var time: Int64
      var partition: Int
      var offset: Int64
      var value: [UInt8]
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
                  time: record.timestamp, partition: partition.id, offset: record.offset.value,
                  value: record.value.map { Array($0) } ?? []))
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
    guard !positions.isEmpty else { return }
    pending.sort { ($0.time, $0.partition, $0.offset) < ($1.time, $1.partition, $1.offset) }
    let registry = SchemaRegistry(log: log)
    var writers: [Int: Schema] = [:]
    let reading = AvroBinary(input.schema)
    var letters: [DeadLetter] = []
    var start = 0
    while start < pending.count {
      guard let decoder = BatchDecoder(input.schema) else { throw RunFailure("input \(input.name): not a record") }
      for record in pending[start..<min(pending.count, start + RecordBatch.preferredRowCount)] {
        do {
          guard let (id, payload) = WireFormat.unframe(record.value) else {
            throw RunFailure("the value is not framed")
          }
          if writers[id] == nil { writers[id] = try registry.schema(id: id).schema }
          guard let writer = writers[id] else { continue }
          if writer.canonicalForm == input.schema.canonicalForm {
            try decoder.append(payload)
          } else {
            let value = try AvroResolver(writer: writer, reader: input.schema).resolve(
              try AvroBinary(writer).decode(payload))
            try decoder.append(try reading.encode(value))
          }
        } catch {
          letters.append(
            DeadLetter(
              step: input.name, reason: "\(error)", source: "\(input.topic):\(record.partition):\(record.offset)",
              record: record.value))
        }
      }
      start += RecordBatch.preferredRowCount
      let batch = decoder.finish()
      summary.recordsIn += batch.count
      if batch.count > 0 { letters += try push(batch, from: input.name) }
    }
    summary.recordsIn += letters.count
    try writeDeadLetters(letters)
    for (key, position) in positions { checkpoint.positions[input.topic, default: [:]][key] = position }
    try commit()
  }
}
