import Foundation
import MeshConnectors
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshLog
import MeshPlan
import MeshSchema

extension ProductRunner {
  func publish(_ batch: RecordBatch, step: String) throws(RunFailure) {
    guard batch.count > 0 else { return }
    var published = false
    for output in spec.streams where output.step == step {
      guard let topic = topics[output.topic], let id = schemaIDs[output.topic],
        let port = RecordSchema(avro: output.schema)
      else { continue }
      let conformed = try PortConformance.conform(batch, to: port)
      try append(conformed, to: topic, schema: output.schema, schemaID: id, key: output.key)
      published = true
    }
    for output in spec.batches where output.step == step {
      guard let sink = sinks[output.port] else { continue }
      let conformed = try PortConformance.conform(batch, to: sink.records)
      do {
        try sink.write(conformed, checkpoint: checkpoint.id + 1)
      } catch {
        throw RunFailure("port \(output.port): \(error.message)")
      }
      published = true
    }
    if published { summary.recordsOut += batch.count }
  }

  /// Rows that left the table a step keeps: a stream port publishing the step gets a
  /// tombstone (its key, no value) for each, as a compacted topic's consumers expect;
  /// batch ports, which hold what was written, get nothing.
  func publishDeletions(_ batch: RecordBatch, step: String) throws(RunFailure) {
    guard batch.count > 0 else { return }
    for output in spec.streams where output.step == step {
      guard let topic = topics[output.topic] else { continue }
      let keyColumns = output.key.compactMap { batch.schema.index(of: $0) }
      guard !keyColumns.isEmpty else { continue }
      let time = eventTimeColumn(batch)
      let records = batch.rows.map { row in
        Record(key: RecordKey.text(batch, fields: keyColumns, row: row), value: nil, timestamp: time?(row))
      }
      do {
        _ = try topic.append(records)
      } catch {
        throw RunFailure("appending to \(topic.name): \(error)")
      }
      summary.recordsOut += records.count
    }
  }

  private func append(
    _ batch: RecordBatch, to topic: Topic, schema: Schema, schemaID: Int, key: [String]
  )
    throws(RunFailure)
  {
    guard let encoder = BatchEncoder(schema) else {
      throw RunFailure("topic \(topic.name): its schema is not a record")
    }
    let keyColumns = key.compactMap { batch.schema.index(of: $0) }
    let time = eventTimeColumn(batch)
    var records: [Record] = []
    records.reserveCapacity(batch.count)
    do {
      try encoder.encode(batch) { row, value in
        let keyBytes = keyColumns.isEmpty ? nil : RecordKey.text(batch, fields: keyColumns, row: row)
        records.append(
          Record(key: keyBytes, value: WireFormat.frame(schemaID: schemaID, payload: value), timestamp: time?(row)))
      }
    } catch {
      throw RunFailure("topic \(topic.name): a record does not encode: \(error)")
    }
    do {
      _ = try topic.append(records)
    } catch {
      throw RunFailure("appending to \(topic.name): \(error)")
    }
  }

  /// Milliseconds of a record's event time: the first timestamp field of the batch.
  private func eventTimeColumn(_ batch: RecordBatch) -> ((Int) -> Int64)? {
    for (field, column) in zip(batch.schema.fields, batch.columns) {
      if case .timestamp(let unit, _) = field.type, case .int64(let values) = column.values {
        return { row in values[row].floorDivided(by: unit.perSecond / 1000) }
      }
    }
    return nil
  }

  func writeDeadLetters(_ letters: [DeadLetter]) throws(RunFailure) {
    guard !letters.isEmpty else { return }
    summary.deadLettered += letters.count
    let records = letters.map { letter in
      var json = JSONWriter()
      json.beginObject()
      for (key, value) in [("product", spec.product), ("step", letter.step), ("reason", letter.reason)] {
        json.key(key)
        json.string(value)
      }
      if let source = letter.source {
        json.key("source")
        json.string(source)
      }
      json.key("record")
      json.string(utf8: letter.record)
      json.endObject()
      return Record(value: json.bytes)
    }
    do {
      _ = try deadLetters.append(records)
    } catch {
      throw RunFailure("appending to \(spec.deadLetterTopic): \(error)")
    }
  }
}
