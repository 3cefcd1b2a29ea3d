import MeshData
import MeshDiagnostics
import MeshSchema

/// Lays the Avro schema a file carries over the types read from its Parquet schema:
/// enums get their symbols back, opaque unions their Avro type, records their names.
/// When the two disagree in shape (the file was rewritten by a tool that changed its
/// columns), the Parquet schema alone decides.
struct AvroOverlay {
  let target: RecordSchema?

  init(schema: Schema) { target = RecordSchema(avro: schema) }

  static func schema(_ text: String) -> Schema? {
    Schema.parse(SourceFile(path: "avro.schema", bytes: Array(text.utf8))).schema
  }

  func apply(_ records: RecordSchema, _ reads: [ReadNode]) -> (RecordSchema, [ReadNode])? {
    guard let target, let fields = overlay(records.fields, reads, target.fields) else { return nil }
    return (target, fields)
  }

  private func overlay(_ fields: [DataField], _ reads: [ReadNode], _ targets: [DataField]) -> [ReadNode]? {
    guard fields.count == targets.count, reads.count == fields.count else { return nil }
    var result: [ReadNode] = []
    for ((field, read), target) in zip(zip(fields, reads), targets) {
      guard field.name == target.name, field.nullable == target.nullable || target.type == .null,
        let overlaid = overlay(read, field.type, target.type)
      else { return nil }
      result.append(overlaid)
    }
    return result
  }

  private func overlay(_ read: ReadNode, _ type: DataType, _ target: DataType) -> ReadNode? {
    switch (read, type, target) {
    case (.leaf(let node, let leaf, _, let conversion), _, _) where type == target:
      return .leaf(node: node, leaf: leaf, type: target, conversion: conversion)
    case (.leaf(let node, let leaf, .string, _), _, .enumeration(_, let symbols)),
      (.leaf(let node, let leaf, .bytes, _), _, .enumeration(_, let symbols)):
      return .leaf(node: node, leaf: leaf, type: target, conversion: .enumSymbols(symbols))
    case (.leaf(let node, let leaf, .bytes, _), _, .opaque):
      return .leaf(node: node, leaf: leaf, type: target, conversion: .direct)
    case (.record(let node, _, let fields), .record(let records), .record(let targets)):
      guard let overlaid = overlay(records.fields, fields, targets.fields) else { return nil }
      return .record(node: node, type: target, fields: overlaid)
    case (
      .list(let node, let repeated, _, let element), .array(let items, let nullable),
      .array(let targetItems, let targetNullable)
    ):
      guard nullable == targetNullable, let overlaid = overlay(element, items, targetItems) else { return nil }
      return .list(node: node, repeated: repeated, type: target, element: overlaid)
    case (
      .map(let node, let repeated, _, let key, let value), .map(let values, let nullable),
      .map(let targetValues, let targetNullable)
    ):
      guard nullable == targetNullable, let overlaid = overlay(value, values, targetValues) else { return nil }
      return .map(node: node, repeated: repeated, type: target, key: key, value: overlaid)
    default:
      return nil
    }
  }
}
