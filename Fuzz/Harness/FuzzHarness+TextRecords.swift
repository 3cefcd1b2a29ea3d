import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema
import MeshTestSupport

extension FuzzHarness {
  static let everyType: Schema? = Schema.parse(SourceFile(path: "every.avsc", text: TestSchemas.everyType)).schema

  /// JSON Lines read against a schema of every type: what reads, printed in the JSON
  /// mapping, reads back to as many records and no rejects.
  @Sendable public static func jsonLinesRecords(_ bytes: [UInt8]) {
    guard let schema = everyType, let records = RecordSchema(avro: schema) else { return }
    let reader = JSONLinesBatchReader(bytes: bytes, schema: records, avro: schema, batchSize: 64)
    var printed: [UInt8] = []
    var count = 0
    while let (batch, rejected) = reader.nextBatch() {
      for problem in rejected where problem.line < 1 || problem.column < 1 {
        violated("a rejected line without a place")
      }
      BatchJSON(avro: schema).append(batch, to: &printed)
      count += batch.count
    }
    let again = JSONLinesBatchReader(bytes: printed, schema: records, avro: schema)
    var readAgain = 0
    while let (batch, rejected) = again.nextBatch() {
      if !rejected.isEmpty { violated("printed records do not read back: \(rejected[0].description)") }
      readAgain += batch.count
    }
    if readAgain != count { violated("printed records read back to \(readAgain), not \(count)") }
  }

  /// The flat fields of every type, for CSV.
  static let flatRecords: RecordSchema? = everyType.flatMap(RecordSchema.init(avro:)).map { records in
    var flat = records
    flat.fields = records.fields.filter { field in
      switch field.type {
      case .record, .array, .map, .opaque: false
      default: true
      }
    }
    return flat
  }

  /// CSV read against flat columns of every type: each record reads or is rejected with
  /// its place, and the rows and rejects account for every record the text holds.
  static func csvRecords(_ bytes: [UInt8]) {
    guard let records = flatRecords,
      let reader = try? CSVBatchReader(bytes: bytes, schema: records, options: .init(header: false), batchSize: 64)
    else { return }
    while let (batch, rejected) = reader.nextBatch() {
      for problem in rejected where problem.line < 1 || problem.column < 1 {
        violated("a rejected record without a place")
      }
      if batch.columns.contains(where: { $0.count != batch.rowCount }) { violated("a CSV batch's columns disagree") }
    }
  }
}
