import MeshDiagnostics
import MeshPlanner
import Testing

/// The governance pass: required metadata and allowed domains, located by markers.
struct GovernanceCheckTests {
  private func only(
    _ code: DiagnosticCode, in mesh: ResolvedMesh, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> [Diagnostic] {
    let found = mesh.diagnostics.all.filter { $0.code == code }
    #expect(
      mesh.diagnostics.all.allSatisfy { $0.code == code }, "\(mesh.diagnostics.all.map(\.message))",
      sourceLocation: sourceLocation)
    return found
  }

  @Test func missingRequiredMetadataPointsAtTheMetadataAndThePolicy() {
    let mesh = PlannerFixture(
      [
        "mesh.yaml": """
        apiVersion: meshc/v1
        kind: Mesh
        name: test
        governance:
          requiredMetadata: [1️⃣description, 2️⃣owner.email, tags]
        """,
        "schemas/raw.avsc": PlannerFixture.schema, "schemas/order.avsc": PlannerFixture.schema,
        "products/orders.yaml": PlannerFixture.product(owner: "owner: {team: t}", description: "tags: [a]")
          .replacingOccurrences(of: "  name: orders", with: "  3️⃣name: orders"),
      ])
    let found = only(.missingRequiredMetadata, in: mesh.resolve())
    #expect(
      found.map(\.message) == [
        "product 'sales.orders' lacks 'description', which the mesh requires",
        "product 'sales.orders' lacks 'owner.email', which the mesh requires",
      ])
    for diagnostic in found {
      #expect(diagnostic.range?.file == "products/orders.yaml")
      #expect(diagnostic.range?.start == mesh["3️⃣"]?.location)
    }
    #expect(found.map { $0.notes.first?.range?.start } == [mesh["1️⃣"]?.location, mesh["2️⃣"]?.location])
    #expect(found.first?.notes.first?.range?.file == "mesh.yaml")
  }

  @Test func aDomainOutsideTheMeshsDomains() {
    let mesh = PlannerFixture.mesh(["products/orders.yaml": PlannerFixture.product(domain: "1️⃣sale")])
    let found = only(.domainNotAllowed, in: mesh.resolve())
    #expect(found.count == 1)
    #expect(found.first?.range?.file == "products/orders.yaml")
    #expect(found.first?.range?.start == mesh["1️⃣"]?.location)
    #expect(found.first?.help == "did you mean 'sales'?")
  }

  @Test func withoutAConfigThereIsNoGovernance() {
    let mesh = PlannerFixture([
      "schemas/raw.avsc": PlannerFixture.schema, "schemas/order.avsc": PlannerFixture.schema,
      "products/orders.yaml": PlannerFixture.product(domain: "anything", description: ""),
    ])
    #expect(mesh.config == nil)
    #expect(mesh.resolve().diagnostics.isEmpty)
  }
}
