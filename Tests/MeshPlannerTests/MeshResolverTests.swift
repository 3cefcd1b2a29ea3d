import MeshDiagnostics
import MeshPlanner
import Testing

/// The resolve and governance passes on in-memory meshes: each code triggered once and
/// located by a marker, and the schemas kept for later passes.
struct MeshResolverTests {
  private func expect(
    _ code: DiagnosticCode, in mesh: ResolvedMesh, at marker: (file: String, location: MeshDiagnostics.SourceLocation)?,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    let found = mesh.diagnostics.all.filter { $0.code == code }
    #expect(
      found.count == 1, "\(mesh.diagnostics.all.map { "\($0.code.id) \($0.message)" })",
      sourceLocation: sourceLocation)
    #expect(marker != nil, "no such marker", sourceLocation: sourceLocation)
    #expect(found.first?.range?.file == marker?.file, sourceLocation: sourceLocation)
    #expect(found.first?.range?.start == marker?.location, sourceLocation: sourceLocation)
  }

  private static func reader(_ name: String, input: String) -> String {
    PlannerFixture.product(
      name: name, domain: "marketing", input: input,
      output: "{name: out, kind: stream, from: o, schema: schemas/order.avsc}")
  }

  @Test func aValidMeshHasNoFindingsAndKeepsItsSchemas() throws {
    let fixture = PlannerFixture.mesh([
      "products/orders.yaml": PlannerFixture.product(),
      "products/promo.yaml": Self.reader("promo", input: "{name: o, product: sales.orders, port: stream}"),
    ])
    let mesh = fixture.resolve()
    #expect(mesh.diagnostics.isEmpty, "\(mesh.diagnostics.all.map(\.message))")
    let orders = try #require(mesh.product("sales.orders"))
    #expect(orders.inputSchemas["raw"]?.canonicalForm.contains("\"R\"") == true)
    #expect(orders.portSchemas["stream"] != nil)
    // A port input's schema is the upstream port's.
    let promo = try #require(mesh.product("marketing.promo"))
    #expect(promo.inputSchemas["o"]?.canonicalForm == orders.portSchemas["stream"]?.canonicalForm)
    #expect(mesh.sources.all.map(\.path).sorted() == ["schemas/order.avsc", "schemas/raw.avsc"])
  }

  @Test func duplicateProductIds() {
    let mesh = PlannerFixture.mesh([
      "products/a.yaml": PlannerFixture.product(name: "1️⃣orders"),
      "products/b.yaml": PlannerFixture.product(name: "2️⃣orders"),
    ])
    let resolved = mesh.resolve()
    expect(.duplicateProduct, in: resolved, at: mesh["2️⃣"])
    let note = resolved.diagnostics.all.first { $0.code == .duplicateProduct }?.notes.first
    #expect(note?.range?.file == mesh["1️⃣"]?.file)
    #expect(note?.range?.start == mesh["1️⃣"]?.location)
  }

  @Test func aCopyOutsideThePathsIsTheFirstDefinition() {
    let mesh = PlannerFixture.mesh(
      [
        "products/a.yaml": PlannerFixture.product(name: "orders"),
        "other/b.yaml": PlannerFixture.product(name: "1️⃣orders"),
      ], isAsked: { $0.hasPrefix("other/") })
    expect(.duplicateProduct, in: mesh.resolve(), at: mesh["1️⃣"])
  }

  @Test func unknownProduct() {
    let mesh = PlannerFixture.mesh([
      "products/orders.yaml": PlannerFixture.product(),
      "products/promo.yaml": Self.reader("promo", input: "{name: o, product: 1️⃣sales.ordres, port: stream}"),
    ])
    let resolved = mesh.resolve()
    expect(.unknownProduct, in: resolved, at: mesh["1️⃣"])
    #expect(resolved.diagnostics.all.first?.help == "did you mean 'sales.orders'?")
    #expect(resolved.product("marketing.promo")?.inputSchemas["o"] == nil)
  }

  @Test func unknownProductPort() {
    let mesh = PlannerFixture.mesh([
      "products/orders.yaml": PlannerFixture.product(),
      "products/promo.yaml": Self.reader("promo", input: "{name: o, product: sales.orders, port: 1️⃣strem}"),
    ])
    let resolved = mesh.resolve()
    expect(.unknownProductPort, in: resolved, at: mesh["1️⃣"])
    #expect(resolved.diagnostics.all.first?.help == "did you mean 'stream'?")
  }

  @Test func retiredAndDeprecatedUpstreams() {
    let mesh = PlannerFixture.mesh([
      "products/old.yaml": PlannerFixture.product(name: "a_source", lifecycle: "retired"),
      "products/older.yaml": PlannerFixture.product(name: "b_source", lifecycle: "deprecated"),
      "products/a.yaml": Self.reader("a", input: "{name: o, product: 1️⃣sales.a_source, port: stream}"),
      "products/b.yaml": Self.reader("b", input: "{name: o, product: 2️⃣sales.b_source, port: stream}"),
    ])
    let resolved = mesh.resolve()
    expect(.readsRetiredProduct, in: resolved, at: mesh["1️⃣"])
    expect(.readsDeprecatedProduct, in: resolved, at: mesh["2️⃣"])
    #expect(resolved.diagnostics.all.first { $0.code == .readsDeprecatedProduct }?.severity == .warning)
  }

  @Test func missingSchemaFiles() {
    let mesh = PlannerFixture.mesh([
      "products/orders.yaml": PlannerFixture.product(
        input: "{name: raw, format: csv, path: data/*.csv, schema: 1️⃣schemas/missing.avsc}",
        output: "{name: stream, kind: stream, from: raw, schema: ./schemas/order.avsc}")
    ])
    let resolved = mesh.resolve()
    expect(.schemaFileMissing, in: resolved, at: mesh["1️⃣"])
    #expect(resolved.product("sales.orders")?.inputSchemas["raw"] == nil)
    // Another spelling of an existing file is the same file.
    #expect(resolved.product("sales.orders")?.portSchemas["stream"] != nil)
  }

  @Test func aDirectoryIsNotASchemaFile() {
    let mesh = PlannerFixture.mesh([
      "products/orders.yaml": PlannerFixture.product(
        output: "{name: stream, kind: stream, from: raw, schema: 1️⃣schemas}")
    ])
    expect(.schemaFileMissing, in: mesh.resolve(), at: mesh["1️⃣"])
  }

  @Test func anInvalidSchemaIsReportedOnceForAllItsReaders() {
    let bad = #"{"type": "record", "name": "R", "fields": [{"name": "id", "type": 1️⃣"nope"}]}"#
    let mesh = PlannerFixture.mesh([
      "schemas/order.avsc": bad,
      "products/a.yaml": PlannerFixture.product(name: "a"),
      "products/b.yaml": PlannerFixture.product(name: "b"),
    ])
    let resolved = mesh.resolve()
    let found = resolved.diagnostics.all.filter { $0.range?.file == "schemas/order.avsc" }
    #expect(found.count == 1, "\(resolved.diagnostics.all.map(\.message))")
    #expect(found.first?.range?.start == mesh["1️⃣"]?.location)
    #expect(resolved.product("sales.a")?.portSchemas["stream"] == nil)
  }

  @Test func productsOutsideThePathsAreNotReportedOn() {
    let bad = #"{"type": "record", "name": "R", "fields": [{"name": "id", "type": "nope"}]}"#
    let mesh = PlannerFixture.mesh(
      [
        "schemas/bad.avsc": bad,
        "products/orders.yaml": PlannerFixture.product(
          domain: "elsewhere", description: "",
          output: "{name: stream, kind: stream, from: raw, schema: schemas/bad.avsc}"),
        "products/promo.yaml": Self.reader(
          "promo", input: "{name: o, product: elsewhere.orders, port: stream}"),
        "products/typo.yaml": Self.reader("typo", input: "{name: o, product: sales.orders, port: stream}"),
      ], isAsked: { $0 != "products/orders.yaml" })
    // `elsewhere.orders` breaks governance and its schema is invalid, but it is context.
    let resolved = mesh.resolve()
    #expect(resolved.products.map(\.id) == ["marketing.promo", "marketing.typo"])
    #expect(resolved.product("marketing.promo")?.inputSchemas["o"] == nil)
    #expect(resolved.diagnostics.all.map(\.code) == [.unknownProduct])
  }

  @Test func inlineSchemasAreKept() throws {
    let inline = "{type: record, name: Inline, fields: [{name: id, type: string}]}"
    let mesh = PlannerFixture.mesh([
      "products/orders.yaml": PlannerFixture.product(
        output: "{name: stream, kind: stream, from: raw, schema: \(inline)}")
    ])
    let resolved = mesh.resolve()
    #expect(resolved.diagnostics.isEmpty, "\(resolved.diagnostics.all.map(\.message))")
    let schema = try #require(resolved.product("sales.orders")?.portSchemas["stream"])
    #expect(schema.canonicalForm.contains("Inline"))
  }
}
