import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// `meshc compat` against temporary git repositories with a history of schema changes.
struct CompatEndToEndTests {
  static func git(_ arguments: [String], in directory: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "git \(arguments)")
  }

  static func gitOutput(_ arguments: [String], in directory: URL) throws -> String {
    let process = Process()
    let pipe = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = directory
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  static func schema(_ fields: [String]) -> String {
    #"{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}"#
      + fields.map { ", " + $0 }.joined() + "]}\n"
  }

  static func product(mode: String, lifecycle: String = "published", ports: String = "") -> String {
    TemporaryMesh.product(
      lifecycle: lifecycle,
      output: "{name: stream, kind: stream, from: raw, schema: schemas/order.avsc, compatibility: \(mode)}\(ports)")
  }

  /// A repository whose history holds `versions` of the order schema, one commit each.
  static func repository(mode: String, versions: [String]) throws -> TemporaryMesh {
    let mesh = try TemporaryMesh([
      "mesh.yaml": TemporaryMesh.meshFile, "schemas/raw.avsc": TemporaryMesh.schema,
      "products/orders.yaml": product(mode: mode), "schemas/order.avsc": versions[0],
    ])
    try git(["init", "-q"], in: mesh.root)
    for (index, version) in versions.enumerated() {
      try version.write(to: mesh.root.appendingPathComponent("schemas/order.avsc"), atomically: false, encoding: .utf8)
      try git(["add", "-A"], in: mesh.root)
      try git(["commit", "-q", "-m", "v\(index + 1)"], in: mesh.root)
    }
    return mesh
  }

  static func write(_ text: String, _ path: String, in mesh: TemporaryMesh) throws {
    try text.write(to: mesh.root.appendingPathComponent(path), atomically: false, encoding: .utf8)
  }

  @Test func aCompatibleChangePasses() throws {
    let mesh = try Self.repository(mode: "FULL", versions: [Self.schema([])])
    try Self.write(
      Self.schema([#"{"name": "note", "type": ["null", "string"], "default": null}"#]), "schemas/order.avsc", in: mesh)
    let result = try Meshc.run(["compat", "--base", "HEAD", "--format", "json"], in: mesh.root)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(try result.json()["compatible"] as? Bool == true)
    #expect(try result.json()["portsChecked"] as? Int == 1)
  }

  @Test func aBreakingChangeFailsAtTheNewField() throws {
    let mesh = try Self.repository(mode: "BACKWARD", versions: [Self.schema([])])
    try Self.write(Self.schema([#"{"name": "coupon", "type": "string"}"#]), "schemas/order.avsc", in: mesh)
    let result = try Meshc.run(["compat", "--base", "HEAD", "--format", "json"], in: mesh.root)
    #expect(result.status == 1)
    let diagnostics = try result.json()["diagnostics"] as? [[String: Any]] ?? []
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?["code"] as? String == "E0502")
    #expect(diagnostics.first?["file"] as? String == "schemas/order.avsc")
    #expect(diagnostics.first?["line"] as? Int == 1)
    #expect(diagnostics.first?["column"] as? Int == 82)
    #expect(diagnostics.first?["help"] as? String == "give the field 'coupon' a default")
    let github = try Meshc.run(["compat", "--base", "HEAD", "--format", "github"], in: mesh.root)
    #expect(github.stdout.hasPrefix("::error file=schemas/order.avsc,line=1,col=82,"))
  }

  @Test func transitiveModesSeeTheWholeHistory() throws {
    let required = #"{"name": "c", "type": "string"}"#
    let optional = #"{"name": "c", "type": "string", "default": ""}"#
    for (mode, status) in [("FORWARD", Int32(0)), ("FORWARD_TRANSITIVE", 1)] {
      let mesh = try Self.repository(mode: mode, versions: [Self.schema([required]), Self.schema([optional])])
      try Self.write(Self.schema([]), "schemas/order.avsc", in: mesh)
      let result = try Meshc.run(["compat", "--base", "HEAD"], in: mesh.root)
      #expect(result.status == status, "\(mode): \(result.stderr)")
    }
  }

  @Test func aTransitiveFailureNamesTheVersionItBreaks() throws {
    let required = #"{"name": "c", "type": "string"}"#
    let optional = #"{"name": "c", "type": "string", "default": ""}"#
    let mesh = try Self.repository(
      mode: "FORWARD_TRANSITIVE", versions: [Self.schema([required]), Self.schema([optional])])
    try Self.write(Self.schema([]), "schemas/order.avsc", in: mesh)
    let first = try Self.gitOutput(["rev-parse", "--short", "HEAD~1"], in: mesh.root)
    let date = try Self.gitOutput(["log", "-1", "--format=%cs", "HEAD~1"], in: mesh.root)
    let result = try Meshc.run(["compat", "--base", "HEAD"], in: mesh.root)
    #expect(result.status == 1)
    // v2 gave 'c' a default, so only v1 is broken.
    #expect(
      result.stderr.contains("note: incompatible with the version of commit \(first) (\(date), 'v1')"),
      "\(result.stderr)")
    let json = try Meshc.run(["compat", "--base", "HEAD", "--format", "json"], in: mesh.root)
    let notes = (try json.json()["diagnostics"] as? [[String: Any]])?.first?["notes"] as? [[String: Any]]
    #expect(notes?.first?["message"] as? String == "incompatible with the version of commit \(first) (\(date), 'v1')")
  }

  @Test func aPathComparesOnlyTheProductsUnderIt() throws {
    let reader = TemporaryMesh.product(
      name: "promo", domain: "marketing", input: "{name: o, product: sales.orders, port: stream}",
      output: "{name: out, kind: stream, from: o, schema: schemas/promo.avsc}")
    let extra = "\n    - {name: files, kind: batch, from: raw, format: parquet, path: out/}"
    let mesh = try TemporaryMesh([
      "mesh.yaml": TemporaryMesh.meshFile, "schemas/raw.avsc": TemporaryMesh.schema,
      "schemas/order.avsc": TemporaryMesh.schema, "schemas/promo.avsc": TemporaryMesh.schema,
      "products/sales/orders.yaml": Self.product(mode: "BACKWARD", ports: extra),
      "products/marketing/promo.yaml": reader,
    ])
    try Self.git(["init", "-q"], in: mesh.root)
    try Self.git(["add", "-A"], in: mesh.root)
    try Self.git(["commit", "-q", "-m", "v1"], in: mesh.root)
    // An unchanged tree: the products outside the path are neither compared nor removed.
    for path in ["products/marketing", "products/marketing/promo.yaml", "products/sales", "."] {
      let result = try Meshc.run(["compat", "--base", "HEAD", "--format", "json", path], in: mesh.root)
      #expect(result.status == 0, "\(path): \(result.stdout)")
      let expected = path.hasPrefix("products/") ? 1 : 2
      #expect(try result.json()["portsChecked"] as? Int == expected, "\(path)")
    }
    // A port removed from 'sales.orders' breaks for its path only.
    try Self.write(Self.product(mode: "BACKWARD"), "products/sales/orders.yaml", in: mesh)
    #expect(try Meshc.run(["compat", "--base", "HEAD", "products/marketing"], in: mesh.root).status == 0)
    let sales = try Meshc.run(["compat", "--base", "HEAD", "--format", "json", "products/sales"], in: mesh.root)
    #expect(sales.status == 1)
    let diagnostics = try sales.json()["diagnostics"] as? [[String: Any]] ?? []
    #expect(diagnostics.map { $0["code"] as? String } == ["E0508"])
    // A product moved out of the path still exists in the mesh: nothing was removed.
    try FileManager.default.createDirectory(
      at: mesh.root.appendingPathComponent("products/other"), withIntermediateDirectories: true)
    try Self.write(Self.product(mode: "BACKWARD", ports: extra), "products/other/orders.yaml", in: mesh)
    try FileManager.default.removeItem(at: mesh.root.appendingPathComponent("products/sales/orders.yaml"))
    try Self.write(TemporaryMesh.product(name: "refunds"), "products/sales/refunds.yaml", in: mesh)
    let moved = try Meshc.run(["compat", "--base", "HEAD", "products/sales"], in: mesh.root)
    #expect(moved.status == 0, "\(moved.stderr)")
  }

  @Test func removingAPortOfAPublishedProductBreaks() throws {
    let extra = "\n    - {name: files, kind: batch, from: raw, format: parquet, path: out/}"
    let mesh = try TemporaryMesh([
      "mesh.yaml": TemporaryMesh.meshFile, "schemas/raw.avsc": TemporaryMesh.schema,
      "schemas/order.avsc": TemporaryMesh.schema, "products/orders.yaml": Self.product(mode: "BACKWARD", ports: extra),
    ])
    try Self.git(["init", "-q"], in: mesh.root)
    try Self.git(["add", "-A"], in: mesh.root)
    try Self.git(["commit", "-q", "-m", "v1"], in: mesh.root)
    try Self.write(Self.product(mode: "BACKWARD"), "products/orders.yaml", in: mesh)
    let removed = try Meshc.run(["compat", "--base", "HEAD", "--format", "json"], in: mesh.root)
    #expect(removed.status == 1)
    let diagnostics = try removed.json()["diagnostics"] as? [[String: Any]] ?? []
    #expect(diagnostics.map { $0["code"] as? String } == ["E0508"])
    #expect(diagnostics.first?["file"] as? String == "products/orders.yaml")
    #expect(diagnostics.first?["line"] as? Int == 4)

    // Deprecated at the base: the port may go.
    try Self.write(
      Self.product(mode: "BACKWARD", lifecycle: "deprecated", ports: extra), "products/orders.yaml", in: mesh)
    try Self.git(["commit", "-q", "-am", "deprecate"], in: mesh.root)
    try Self.write(Self.product(mode: "BACKWARD", lifecycle: "deprecated"), "products/orders.yaml", in: mesh)
    #expect(try Meshc.run(["compat", "--base", "HEAD"], in: mesh.root).status == 0)
  }

  @Test func newProductsAndPortsPass() throws {
    let mesh = try Self.repository(mode: "FULL", versions: [Self.schema([])])
    try Self.write(
      Self.product(mode: "FULL", ports: "\n    - {name: extra, kind: stream, from: raw, schema: schemas/raw.avsc}"),
      "products/orders.yaml", in: mesh)
    #expect(try Meshc.run(["compat", "--base", "HEAD"], in: mesh.root).status == 0)
  }

  @Test func usageErrors() throws {
    let mesh = try Self.repository(mode: "FULL", versions: [Self.schema([])])
    let unknown = try Meshc.run(["compat", "--base", "no-such-ref"], in: mesh.root)
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("E0004"))
    let plain = try TemporaryMesh([
      "mesh.yaml": TemporaryMesh.meshFile, "schemas/raw.avsc": TemporaryMesh.schema,
      "schemas/order.avsc": TemporaryMesh.schema, "products/orders.yaml": Self.product(mode: "FULL"),
    ])
    #expect(try Meshc.run(["compat", "--base", "HEAD"], in: plain.root).status == 2)
    #expect(try Meshc.run(["compat"], in: mesh.root).status == 2)
    #expect(try Meshc.run(["compat", "--old", "a.avsc"], in: mesh.root).status == 2)
    #expect(
      try Meshc.run(["compat", "--old", "a.avsc", "--new", "b.avsc", "--mode", "SIDEWAYS"], in: mesh.root).status == 2)
    #expect(
      try Meshc.run(["compat", "--old", "missing.avsc", "--new", "schemas/order.avsc"], in: mesh.root).status == 2)
  }

  @Test func benchCompatDecidesItsGeneratedPairs() throws {
    let result = try Meshc.run(["bench", "compat", "--pairs", "20", "--repeats", "1"], in: Fixtures.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("20 schema pairs of 50 fields"))
    #expect(result.stdout.contains("findings: 0 (expected 0)"))
  }

  @Test func twoFilesUnderEachMode() throws {
    let mesh = try TemporaryMesh([
      "old.avsc": Self.schema([]), "new.avsc": Self.schema([#"{"name": "n", "type": "int", "default": 0}"#]),
      "bad.avsc": #"{"type": "record", "name": "Order", "fields": [{"name": "x", "type": "nope"}]}"#,
    ])
    for mode in ["NONE", "BACKWARD", "FORWARD", "FULL", "FULL_TRANSITIVE"] {
      let result = try Meshc.run(["compat", "--old", "old.avsc", "--new", "new.avsc", "--mode", mode], in: mesh.root)
      #expect(result.status == 0, "\(mode)")
      #expect(result.stdout == "compatible under \(mode)\n")
    }
    let reversed = try Meshc.run(["compat", "--old", "new.avsc", "--new", "old.avsc", "--mode", "FULL"], in: mesh.root)
    #expect(reversed.status == 0)
    let invalid = try Meshc.run(["compat", "--old", "old.avsc", "--new", "bad.avsc"], in: mesh.root)
    #expect(invalid.status == 1)
    #expect(invalid.stderr.contains("E0404"))
  }
}

/// A breaking change names the products that read the port, their owners, and whether
/// they read the field it affects — on a copy of the example mesh.
struct CompatConsumersTests {
  static func exampleMesh() throws -> TemporaryMesh {
    var texts: [String: String] = [:]
    let root = Fixtures.packageRoot
    let paths =
      ["mesh.yaml"]
      + ["products", "schemas"].flatMap { folder -> [String] in
        let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".avsc") }
          .map { "\(folder)/\($0)" }
      }
    for path in paths { texts[path] = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }
    let mesh = try TemporaryMesh(texts)
    try CompatEndToEndTests.git(["init", "-q"], in: mesh.root)
    try CompatEndToEndTests.git(["add", "-A"], in: mesh.root)
    try CompatEndToEndTests.git(["commit", "-q", "-m", "the mesh"], in: mesh.root)
    return mesh
  }

  static func notes(after change: (String) -> String) throws -> [String] {
    let mesh = try exampleMesh()
    let path = mesh.root.appendingPathComponent("schemas/sales/order.avsc")
    try change(try String(contentsOf: path, encoding: .utf8)).write(to: path, atomically: false, encoding: .utf8)
    let result = try Meshc.run(["compat", "--base", "HEAD", "--format", "json"], in: mesh.root)
    #expect(result.status == 1, "\(result.stdout)")
    let diagnostics = try result.json()["diagnostics"] as? [[String: Any]] ?? []
    return (diagnostics.first?["notes"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
  }

  @Test func aTypeChangeNamesTheConsumersThatReadTheField() throws {
    let notes = try Self.notes {
      $0.replacingOccurrences(
        of: #""name": "amount_eur", "type": "double""#, with: #""name": "amount_eur", "type": "string""#)
    }
    #expect(
      notes.contains(
        "consumed by marketing.shoe_promotions (owner growth, growth@example.com), which reads 'amount_eur'"),
      "\(notes)")
    #expect(
      notes.contains(
        "consumed by sales.daily_revenue (owner sales-analytics, sales-analytics@example.com), which reads 'amount_eur'"
      ),
      "\(notes)")
  }

  @Test func aFieldNoConsumerReadsSaysSo() throws {
    let notes = try Self.notes {
      $0.replacingOccurrences(of: #""name": "quantity", "type": "int""#, with: #""name": "quantity", "type": "string""#)
    }
    #expect(notes.filter { $0.hasSuffix("which does not read 'quantity'") }.count == 4, "\(notes)")
  }

  @Test func aRenameNamesTheConsumersOfTheOldName() throws {
    let notes = try Self.notes {
      $0.replacingOccurrences(of: #""name": "country""#, with: #""name": "country_code""#)
    }
    #expect(
      notes.contains {
        $0.hasPrefix("consumed by sales.daily_revenue")
          && $0.hasSuffix("which reads 'country', gone from the new schema")
      }, "\(notes)")
  }
}
