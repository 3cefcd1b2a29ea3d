import Foundation
import MeshTestSupport
import Testing

/// `meshc plan` on the example mesh, in every format, against golden files
/// (`MESHC_UPDATE_GOLDEN=1 swift test` rewrites them).
struct PlanEndToEndTests {
  static let expected = Fixtures.packageRoot.appendingPathComponent("Tests/MeshDriverTests/Cases/plan/expected")

  @Test(arguments: [("text", "mesh.txt"), ("dot", "mesh.dot"), ("mermaid", "mesh.mmd"), ("json", "mesh.json")])
  func theWholeMeshInEachFormat(_ format: String, _ golden: String) throws {
    let result = try Meshc.run(["plan", "--format", format], in: Fixtures.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    try Golden.check(result.stdout, Self.expected.appendingPathComponent(golden))
  }

  @Test func oneProductByIdOrPath() throws {
    let byID = try Meshc.run(["plan", "sales.daily_revenue"], in: Fixtures.packageRoot)
    #expect(byID.status == 0, "\(byID.stderr)")
    try Golden.check(byID.stdout, Self.expected.appendingPathComponent("daily_revenue.txt"))
    let byPath = try Meshc.run(["plan", "products/sales/daily_revenue.yaml"], in: Fixtures.packageRoot)
    #expect(byPath.stdout == byID.stdout)
  }

  @Test func theJSONFormCarriesSchemasAndLineage() throws {
    let result = try Meshc.run(["plan", "customers.profiles", "--format", "json"], in: Fixtures.packageRoot)
    let products = try result.json()["products"] as? [[String: Any]] ?? []
    let steps = products.first?["steps"] as? [[String: Any]] ?? []
    let masked = steps.first { $0["name"] as? String == "masked" }
    let email = (masked?["schema"] as? [[String: Any]])?.first { $0["name"] as? String == "email" }
    #expect(email?["from"] as? [String] == ["raw_changes.email"])
    #expect(email?["functions"] as? [String] == ["mask"])
    #expect(email?["pii"] as? Bool == false)
  }

  @Test func anUnknownProductIsAUsageError() throws {
    let result = try Meshc.run(["plan", "sales.ordrs"], in: Fixtures.packageRoot)
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("E0005") && result.stderr.contains("did you mean 'sales.orders'?"))
  }

  @Test func aMeshWithErrorsPrintsFindingsAndNoPlan() throws {
    let mesh = ValidateEndToEndTests.cases.appendingPathComponent("validate-mistakes/mesh")
    let result = try Meshc.run(["plan"], in: mesh)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("error[E0101]"))
  }
}
