import Foundation
import MeshDiagnostics
import MeshDriver
import MeshTestSupport
import Testing

/// Mesh-level checks of `validate`, each code triggered and located.
struct ValidateTests {
  private func validate(_ files: [String: String], paths: [String] = ["."]) throws -> (TemporaryMesh, Report) {
    var all = ["mesh.yaml": TemporaryMesh.meshFile, "schemas/raw.avsc": TemporaryMesh.schema]
    all["schemas/order.avsc"] = TemporaryMesh.schema
    all["data/orders.csv"] = "order_id\n"
    all.merge(files) { _, new in new }
    let mesh = try TemporaryMesh(all)
    return (mesh, MeshDriver.validate(paths: paths, currentDirectory: mesh.root))
  }

  private func expect(
    _ code: DiagnosticCode, in report: Report, at marker: (file: String, location: MeshDiagnostics.SourceLocation)?,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    let found = report.diagnostics.all.filter { $0.code == code }
    #expect(
      found.count == 1, "\(report.diagnostics.all.map { "\($0.code.id) \($0.message)" })",
      sourceLocation: sourceLocation)
    #expect(found.first?.range?.file == marker?.file, sourceLocation: sourceLocation)
    #expect(found.first?.range?.start == marker?.location, sourceLocation: sourceLocation)
  }

  @Test func aValidMeshHasNoFindings() throws {
    let (_, report) = try validate(["products/orders.yaml": TemporaryMesh.product()])
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics.all.map(\.message))")
    #expect(report.exitStatus == 0)
    #expect(report.summary == "validated 1 product in 1 domain")
  }

  @Test func duplicateProductIdsPointAtTheSecond() throws {
    let (mesh, report) = try validate([
      "products/a.yaml": TemporaryMesh.product(),
      "products/b.yaml": TemporaryMesh.product(name: "1️⃣orders"),
    ])
    expect(.duplicateProduct, in: report, at: mesh["1️⃣"])
    #expect(report.diagnostics.all.first?.notes.first?.range?.file == "products/a.yaml")
  }

  @Test func unknownProductsAndPortsAreLocated() throws {
    let (mesh, report) = try validate([
      "products/orders.yaml": TemporaryMesh.product(),
      "products/promo.yaml": TemporaryMesh.product(
        name: "promo", domain: "marketing", input: "{name: o, product: 1️⃣sales.ordres, port: stream}",
        output: "{name: out, kind: stream, from: o, schema: schemas/order.avsc}"),
      "products/promo2.yaml": TemporaryMesh.product(
        name: "promo2", domain: "marketing", input: "{name: o, product: sales.orders, port: 2️⃣strem}",
        output: "{name: out, kind: stream, from: o, schema: schemas/order.avsc}"),
    ])
    expect(.unknownProduct, in: report, at: mesh["1️⃣"])
    #expect(report.diagnostics.all.first { $0.code == .unknownProduct }?.help == "did you mean 'sales.orders'?")
    expect(.unknownProductPort, in: report, at: mesh["2️⃣"])
    #expect(report.exitStatus == 1)
  }

  @Test func retiredAndDeprecatedUpstreams() throws {
    let reader = { (name: String, marker: String) in
      TemporaryMesh.product(
        name: name, domain: "marketing", input: "{name: o, product: \(marker)sales.\(name)_source, port: stream}",
        output: "{name: out, kind: stream, from: o, schema: schemas/order.avsc}")
    }
    let (mesh, report) = try validate([
      "products/old.yaml": TemporaryMesh.product(name: "a_source", lifecycle: "retired"),
      "products/older.yaml": TemporaryMesh.product(name: "b_source", lifecycle: "deprecated"),
      "products/a.yaml": reader("a", "1️⃣"),
      "products/b.yaml": reader("b", "2️⃣"),
    ])
    expect(.readsRetiredProduct, in: report, at: mesh["1️⃣"])
    expect(.readsDeprecatedProduct, in: report, at: mesh["2️⃣"])
  }

  @Test func anInputPathThatMatchesNoFileIsAWarning() throws {
    let (mesh, report) = try validate([
      "products/orders.yaml": TemporaryMesh.product(
        input: "{name: raw, format: csv, path: 1️⃣data/ordres/*.csv, schema: schemas/raw.avsc}")
    ])
    expect(.inputMatchesNoFile, in: report, at: mesh["1️⃣"])
    #expect(report.exitStatus == 0)
    #expect(
      report.diagnostics.all.first?.message
        == "input 'raw' reads 'data/ordres/*.csv', which matches no file under the mesh root yet")
  }

  @Test func missingSchemaFilesResolveAgainstTheMeshRoot() throws {
    let (mesh, report) = try validate([
      "products/sub/orders.yaml": TemporaryMesh.product(
        input: "{name: raw, format: csv, path: data/*.csv, schema: 1️⃣schemas/missing.avsc}")
    ])
    expect(.schemaFileMissing, in: report, at: mesh["1️⃣"])
    // Run from a subdirectory: paths still resolve against the root, display relative to the cwd.
    let nested = MeshDriver.validate(paths: ["."], currentDirectory: mesh.root.appendingPathComponent("products/sub"))
    #expect(nested.diagnostics.all.map(\.code) == [.schemaFileMissing])
    #expect(nested.diagnostics.all.first?.range?.file == "orders.yaml")
  }

  @Test func governanceRequiresMetadataAndDomains() throws {
    let (mesh, report) = try validate([
      "products/a.yaml": TemporaryMesh.product(description: "").replacingOccurrences(
        of: "metadata:\n  name", with: "metadata:\n  1️⃣name"),
      "products/b.yaml": TemporaryMesh.product(name: "b", domain: "2️⃣finance"),
    ])
    expect(.missingRequiredMetadata, in: report, at: mesh["1️⃣"])
    expect(.domainNotAllowed, in: report, at: mesh["2️⃣"])
  }

  @Test func meshFileProblems() throws {
    let (mesh, report) = try validate([
      "mesh.yaml": "apiVersion: meshc/v1\nkind: Mesh\nname: x\ngovernance:\n  requiredMetadata: [1️⃣colour]\n",
      "products/a.yaml": TemporaryMesh.product(),
    ])
    expect(.invalidChoice, in: report, at: mesh["1️⃣"])
    let (emptyMesh, emptyReport) = try validate([
      "mesh.yaml": "# nothing yet\n", "products/a.yaml": TemporaryMesh.product(),
    ])
    #expect(emptyMesh.root.path.isEmpty == false)
    #expect(emptyReport.diagnostics.all.map(\.code) == [.invalidMeshFile])
    #expect(emptyReport.diagnostics.all.first?.range?.file == "mesh.yaml")
  }

  @Test func pathsThatDoNotExistAreUsageErrors() throws {
    let (_, report) = try validate(["products/a.yaml": TemporaryMesh.product()], paths: ["products/nope"])
    #expect(report.diagnostics.all.map(\.code) == [.pathNotFound])
    #expect(report.diagnostics.all.first?.range == nil)
    #expect(report.exitStatus == 2)
  }

  @Test func anEmptyTreeHasNoManifests() throws {
    let (_, report) = try validate(["docs/readme.yaml": "title: hello\n"], paths: ["docs"])
    #expect(report.diagnostics.all.map(\.code) == [.noManifests])
    #expect(report.exitStatus == 1)
  }

  @Test func nonManifestYAMLUnderProductsIsAWarning() throws {
    let (_, report) = try validate([
      "products/a.yaml": TemporaryMesh.product(), "products/notes.yaml": "title: not a product\n",
    ])
    let warning = report.diagnostics.all.first { $0.code == .notAManifest }
    #expect(warning?.range?.file == "products/notes.yaml")
    #expect(warning?.range?.start == MeshDiagnostics.SourceLocation(line: 1, column: 1))
    #expect(report.exitStatus == 0)
  }

  @Test func unreadableFilesAreReported() throws {
    let mesh = try TemporaryMesh(["mesh.yaml": TemporaryMesh.meshFile, "products/a.yaml": TemporaryMesh.product()])
    let locked = mesh.root.appendingPathComponent("products/a.yaml")
    // Root reads anything; a dangling symlink is unreadable for every user.
    try FileManager.default.removeItem(at: locked)
    try FileManager.default.createSymbolicLink(
      at: locked, withDestinationURL: mesh.root.appendingPathComponent("gone.yaml"))
    let report = MeshDriver.validate(paths: ["products"], currentDirectory: mesh.root)
    let error = report.diagnostics.all.first { $0.code == .fileUnreadable }
    #expect(error?.range?.file == "products/a.yaml")
    #expect(error?.range?.start == MeshDiagnostics.SourceLocation(line: 1, column: 1))
  }

  @Test func validatingASubsetStillResolvesTheWholeMesh() throws {
    let mesh = try TemporaryMesh([
      "mesh.yaml": TemporaryMesh.meshFile, "schemas/order.avsc": TemporaryMesh.schema,
      "schemas/raw.avsc": TemporaryMesh.schema, "products/sales/orders.yaml": TemporaryMesh.product(),
      "products/marketing/promo.yaml": TemporaryMesh.product(
        name: "promo", domain: "marketing", input: "{name: o, product: sales.orders, port: stream}",
        output: "{name: out, kind: stream, from: o, schema: schemas/order.avsc}"),
    ])
    let report = MeshDriver.validate(paths: ["products/marketing"], currentDirectory: mesh.root)
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics.all.map(\.message))")
    #expect(report.summary == "validated 1 product in 1 domain")
  }
}
