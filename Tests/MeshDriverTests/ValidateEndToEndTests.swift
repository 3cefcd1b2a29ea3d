import Foundation
import MeshTestSupport
import Testing

/// Runs the built `meshc` binary as a user would.
struct ValidateEndToEndTests {
  static let cases = Fixtures.packageRoot.appendingPathComponent("Tests/MeshDriverTests/Cases")

  @Test func theExampleMeshIsValid() throws {
    let result = try Meshc.run(["validate", "--format", "json"], in: Fixtures.packageRoot)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let object = try result.json()
    #expect(object["errors"] as? Int == 0)
    #expect(
      object["products"] as? [String] == [
        "customers.profiles", "inventory.stock", "marketing.order_owners", "marketing.shoe_promotions",
        "sales.customer_activity", "sales.daily_revenue", "sales.orders",
      ])
  }

  @Test func mistakesExitOneWithLocatedJSON() throws {
    let mesh = Self.cases.appendingPathComponent("validate-mistakes/mesh")
    let result = try Meshc.run(["validate", "--format", "json"], in: mesh)
    #expect(result.status == 1)
    let diagnostics = try result.json()["diagnostics"] as? [[String: Any]] ?? []
    let found = diagnostics.map { "\($0["code"] ?? "") \($0["file"] ?? ""):\($0["line"] ?? ""):\($0["column"] ?? "")" }
    #expect(
      Set(found) == [
        "E0101 products/garbage.yaml:1:11", "E0204 products/orders.yaml:7:14", "E0304 products/orders.yaml:13:15",
        "E0202 products/orders.yaml:17:7", "E0213 products/orders.yaml:15:7", "E0304 products/orders.yaml:22:15",
        "E0209 products/orders.yaml:23:18", "W0202 products/orders.yaml:12:13",
      ])
  }

  @Test func textOutputMatchesTheGoldenFile() throws {
    let mesh = Self.cases.appendingPathComponent("validate-mistakes/mesh")
    let result = try Meshc.run(["validate"], in: mesh)
    try Golden.check(
      result.stderr + result.stdout, Self.cases.appendingPathComponent("validate-mistakes/expected/validate.txt"))
  }

  @Test func githubFormatAnnotatesLines() throws {
    let mesh = Self.cases.appendingPathComponent("validate-mistakes/mesh")
    let result = try Meshc.run(["validate", "--format", "github"], in: mesh)
    #expect(result.stdout.contains("::error file=products/orders.yaml,line=7,col=14,"))
  }

  @Test func usageErrorsExitTwo() throws {
    let missing = try Meshc.run(["validate", "no/such/dir"], in: Fixtures.packageRoot)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("E0003"))
    let badFlag = try Meshc.run(["validate", "--format", "xml"], in: Fixtures.packageRoot)
    #expect(badFlag.status == 2)
  }

  static let hostileFiles: [(String, [UInt8])] = {
    let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
    let huge = "kind: DataProduct\nmetadata: " + String(repeating: "x", count: 5_000_000)
    return [
      ("empty.yaml", []), ("binary.yaml", [UInt8](repeating: 0, count: 64) + [0xFF, 0xFE, 0x80]),
      ("deep.yaml", Array(deep.utf8)), ("bomb.yaml", Array(aliasBomb.utf8)), ("huge.yaml", Array(huge.utf8)),
    ]
  }()

  @Test(arguments: hostileFiles)
  func hostileFilesGiveDiagnosticsNotCrashes(_ name: String, _ bytes: [UInt8]) throws {
    let mesh = try TemporaryMesh(["mesh.yaml": TemporaryMesh.meshFile])
    try FileManager.default.createDirectory(
      at: mesh.root.appendingPathComponent("products"), withIntermediateDirectories: true)
    try Data(bytes).write(to: mesh.root.appendingPathComponent("products/\(name)"))
    let result = try Meshc.run(["validate", "--format", "json"], in: mesh.root)
    #expect(result.status == 1, "\(result.stderr)")
    let diagnostics = try result.json()["diagnostics"] as? [[String: Any]] ?? []
    #expect(!diagnostics.isEmpty)
  }

  @Test func aDirectoryNamedLikeAManifestIsSearched() throws {
    let mesh = try TemporaryMesh([
      "mesh.yaml": TemporaryMesh.meshFile, "schemas/raw.avsc": TemporaryMesh.schema,
      "schemas/order.avsc": TemporaryMesh.schema, "products/odd.yaml/orders.yaml": TemporaryMesh.product(),
    ])
    let result = try Meshc.run(["validate"], in: mesh.root)
    #expect(result.status == 0, "\(result.stderr)")
  }

  /// The benchmark runs (its figures are not asserted: timing belongs to the benchmark).
  @Test func benchValidateValidatesItsGeneratedMeshCleanly() throws {
    let result = try Meshc.run(["bench", "validate", "--products", "30", "--repeats", "1"], in: Fixtures.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("30 products in 32 files"))
    #expect(result.stdout.contains("findings: 0 (expected 0)"))
  }

  static let aliasBomb: String = {
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1..<12 {
      yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    return yaml
  }()
}
