import MeshData
import MeshDiagnostics
import MeshPlan
import MeshPlanner
import Testing

/// A product reading records of every kind of field, whose transforms a test writes:
/// the whole pipeline (YAML, decoding, resolution, planning) runs on them, so a test
/// checks types as the planner computes them and diagnostics where the YAML has them.
enum CheckerFixture {
  static let rawSchema = #"""
    {"type": "record", "name": "Raw", "fields": [
      {"name": "id", "type": "string"},
      {"name": "qty", "type": "int"},
      {"name": "big", "type": "long"},
      {"name": "amount", "type": "double"},
      {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
      {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["placed", "paid", "shipped"]}},
      {"name": "placed_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "day", "type": {"type": "int", "logicalType": "date"}},
      {"name": "note", "type": ["null", "string"], "default": null},
      {"name": "email", "type": "string", "pii": true},
      {"name": "paid", "type": "boolean"},
      {"name": "tags", "type": {"type": "array", "items": "string"}},
      {"name": "customer", "type": {"type": "record", "name": "Customer", "fields": [
        {"name": "name", "type": "string"},
        {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
          {"name": "city", "type": "string"}]}]}]}}
    ]}
    """#

  static func product(
    transforms: String, outputs: String = "[{name: files, kind: batch, from: last, format: csv, path: out/}]",
    quality: String = "[]", eventTime: String = "eventTime: placed_at"
  ) -> String {
    """
    apiVersion: meshc/v1
    kind: DataProduct
    metadata:
      name: orders
      domain: sales
      owner: {team: t, email: t@example.com}
      lifecycle: published
      description: Orders.
    spec:
      inputs:
        - {name: raw, format: csv, path: data/*.csv, schema: schemas/raw.avsc, \(eventTime)}
      transforms:
    \(transforms)
      outputs: \(outputs)
      quality: \(quality)
    """
  }

  static func mesh(
    transforms: String, outputs: String = "[{name: files, kind: batch, from: last, format: csv, path: out/}]",
    quality: String = "[]", eventTime: String = "eventTime: placed_at", extra: [String: String] = [:]
  ) -> PlannerFixture {
    var texts = [
      "schemas/raw.avsc": rawSchema,
      "products/orders.yaml": product(transforms: transforms, outputs: outputs, quality: quality, eventTime: eventTime),
    ]
    texts.merge(extra) { _, new in new }
    return PlannerFixture.mesh(texts)
  }

  /// The bound expression of a select column `value: <expression>` over the raw input.
  static func derived(
    _ expression: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> BoundExpression? {
    let quoted = "'" + expression.replacingOccurrences(of: "'", with: "''") + "'"
    let mesh = mesh(transforms: "    - {name: last, from: raw, select: {value: \(quoted)}}").resolve(
      sourceLocation: sourceLocation)
    #expect(
      mesh.diagnostics.isEmpty, "\(mesh.diagnostics.all.map { "\($0.code.id) \($0.message)" })",
      sourceLocation: sourceLocation)
    guard case .select(let expressions) = mesh.plans.first?.step(named: "last")?.operation else { return nil }
    return expressions.first
  }

  /// The findings of a mesh, expecting exactly one of `code`, at `marker`.
  static func expectOne(
    _ code: DiagnosticCode, in fixture: PlannerFixture, at marker: String, message: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    let mesh = fixture.resolve(sourceLocation: sourceLocation)
    let all = mesh.diagnostics.all.map {
      "\($0.code.id) \($0.range?.start.line ?? 0):\($0.range?.start.column ?? 0) \($0.message)"
    }
    let found = mesh.diagnostics.all.filter { $0.code == code }
    #expect(found.count == 1, "\(all)", sourceLocation: sourceLocation)
    #expect(mesh.diagnostics.all.count == 1, "one mistake, one diagnostic: \(all)", sourceLocation: sourceLocation)
    guard let expected = fixture[marker] else {
      Issue.record("no marker \(marker)", sourceLocation: sourceLocation)
      return
    }
    #expect(found.first?.range?.file == expected.file, sourceLocation: sourceLocation)
    #expect(found.first?.range?.start == expected.location, "\(all)", sourceLocation: sourceLocation)
    if let message {
      #expect(found.first?.message.contains(message) == true, "\(all)", sourceLocation: sourceLocation)
    }
  }
}
