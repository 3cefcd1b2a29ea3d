import Foundation
import MeshTestSupport
import Testing

/// Input that used to crash meshc or pass where it must not: each gives a diagnostic at
/// its place and the documented exit status, run through the binary as a user would.
@Suite struct HostileInputTests {
  @Test func aDurationPastInt64IsAnErrorNotATrap() throws {
    let mesh = try TemporaryMesh([
      "mesh.yaml": TemporaryMesh.meshFile,
      "products/orders.yaml": TemporaryMesh.product() + "\n  sla: {freshness: 15250284452w4d}\n",
      "schemas/raw.avsc": TemporaryMesh.schema, "schemas/order.avsc": TemporaryMesh.schema, "data/orders.csv": "",
    ])
    let result = try Meshc.run(["validate", "--format", "json"], in: mesh.root)
    #expect(result.status == 1, "\(result.stderr)")
    let diagnostics = try result.json()["diagnostics"] as? [[String: Any]] ?? []
    #expect(diagnostics.first?["code"] as? String == "E0209")
    #expect((diagnostics.first?["message"] as? String)?.contains("292 million years") == true)

    let topic = try Meshc.run(
      [
        "topics", "create", "t", "--retention", "15250284452w4d", "--data-dir",
        mesh.root.appendingPathComponent("d").path,
      ],
      in: mesh.root)
    #expect(topic.status == 2)
    #expect(topic.stdout.contains("E0209") || topic.stderr.contains("E0209"))
  }

  /// JSON the RFC refuses is refused in schema files too (it passed `compat` before).
  @Test(arguments: [
    (#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": 01}]}"#, 1, 84),
    (#"{"type": "record", "name": "R", "doc": "\ud800", "fields": []}"#, 1, 41),
  ])
  func schemaFilesAreStrictJSON(_ text: String, _ line: Int, _ column: Int) throws {
    let mesh = try TemporaryMesh(["old.avsc": #"{"type": "record", "name": "R", "fields": []}"#, "new.avsc": text])
    let result = try Meshc.run(["compat", "--old", "old.avsc", "--new", "new.avsc", "--format", "json"], in: mesh.root)
    #expect(result.status != 0)
    let diagnostic = (try result.json()["diagnostics"] as? [[String: Any]])?.first
    #expect(diagnostic?["code"] as? String == "E0401")
    #expect(diagnostic?["file"] as? String == "new.avsc")
    #expect(diagnostic?["line"] as? Int == line)
    #expect(diagnostic?["column"] as? Int == column)
  }

  /// Smaller mistakes of the log's command line, each named instead of passing silently.
  @Test func logCommandLineMistakesAreNamed() throws {
    let directory = try Fixtures.makeTemporaryDirectory("hostile")
    let file = directory.appendingPathComponent("not-a-directory")
    try Data("x".utf8).write(to: file)
    let listed = try Meshc.run(["topics", "--data-dir", file.path], in: directory)
    #expect(listed.status == 1)
    #expect((listed.stdout + listed.stderr).contains("ENOTDIR"))
    let empty = try Meshc.run(["topics", "--data-dir", ""], in: directory)
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("--data-dir needs a directory"))
    let dash = try Meshc.run(["produce", "-dash"], in: directory)
    #expect(dash.status == 2)
    #expect(dash.stderr.contains("unknown option '-dash'"))
  }
}
