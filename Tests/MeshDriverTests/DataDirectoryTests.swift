import Foundation
import MeshBytes
import MeshDiagnostics
import MeshTestSupport
import Testing

@testable import MeshDriver

@Suite struct DataDirectoryTests {
  @Test func resolutionOrder() throws {
    let root = try Fixtures.makeTemporaryDirectory("mesh-root").standardizedFileURL.path
    let nested = root + "/products/sales"
    try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
    // No mesh.yaml anywhere up: the working directory.
    #expect(DataDirectory.resolve(option: nil, environment: [:], workingDirectory: nested) == nested + "/.meshc")
    try Data("name: shop\n".utf8).write(to: URL(fileURLWithPath: root + "/mesh.yaml"))
    // The mesh root, found by walking up.
    #expect(DataDirectory.resolve(option: nil, environment: [:], workingDirectory: nested) == root + "/.meshc")
    // The environment beats the mesh root; the option beats both; relative paths resolve
    // against the working directory.
    #expect(
      DataDirectory.resolve(option: nil, environment: ["MESHC_DATA_DIR": "/var/meshc"], workingDirectory: nested)
        == "/var/meshc")
    #expect(
      DataDirectory.resolve(option: "data", environment: ["MESHC_DATA_DIR": "/var/meshc"], workingDirectory: nested)
        == nested + "/data")
    // mesh.yaml's defaults: the data directory (relative to the root) and the retention.
    let mesh = "apiVersion: meshc/v1\nkind: Mesh\nname: shop\ndefaults:\n  dataDir: var/log\n  retention: 30d\n"
    try Data(mesh.utf8).write(to: URL(fileURLWithPath: root + "/mesh.yaml"))
    #expect(DataDirectory.resolve(option: nil, environment: [:], workingDirectory: nested) == root + "/var/log")
    #expect(DataDirectory.meshSettings(workingDirectory: nested).retention == .limited(.days(30)))
  }

  @Test func commandLineRangesPointAtArguments() {
    let source = CommandLineSource(["topics", "create", "orders", "--retention=7x", "--partitions", "3", "--follow"])
    #expect(source.file.lineText(1) == "meshc topics create orders --retention=7x --partitions 3 --follow")
    #expect(source.range(ofOption: "--retention")?.start == MeshDiagnostics.SourceLocation(line: 1, column: 40))
    #expect(source.range(ofOption: "--partitions")?.start.column == 56)
    #expect(source.range(ofPositional: "orders")?.start.column == 21)
    #expect(source.range(ofPositional: "3") == nil)
    #expect(source.range(ofFlag: "--follow")?.start.column == 58)
    #expect(source.range(ofOption: "--group") == nil)
  }
}
