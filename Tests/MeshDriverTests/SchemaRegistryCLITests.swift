import Foundation
import MeshLog
import MeshTestSupport
import Testing

/// `meshc schemas` end to end.
struct SchemaRegistryCLITests {
  static let v1 = #"{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}"#
  static let breaking =
    #"{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}, {"name": "coupon", "type": "string"}]}"#

  @Test func registerListShowAndRefuse() throws {
    let mesh = try TemporaryMesh(["v1.avsc": Self.v1, "bad.avsc": Self.breaking])
    let data = ["--data-dir", mesh.root.appendingPathComponent("data").path]
    let first = try Meshc.run(
      ["schemas", "register", "orders-value", "v1.avsc", "--format", "json"] + data, in: mesh.root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(try first.json()["id"] as? Int == 1)
    let refused = try Meshc.run(
      ["schemas", "register", "orders-value", "bad.avsc", "--format", "json"] + data, in: mesh.root)
    #expect(refused.status == 1)
    let diagnostic = (try refused.json()["diagnostics"] as? [[String: Any]])?.first
    #expect(diagnostic?["code"] as? String == "E0502")
    #expect(diagnostic?["file"] as? String == "bad.avsc")
    #expect(diagnostic?["line"] as? Int == 1)
    #expect(diagnostic?["column"] as? Int == 82)
    let list = try Meshc.run(["schemas", "list"] + data, in: mesh.root)
    #expect(list.stdout.contains("orders-value"))
    let show = try Meshc.run(["schemas", "show", "orders-value"] + data, in: mesh.root)
    #expect(show.stdout.contains("version 1, id 1"))
    let unknown = try Meshc.run(["schemas", "show", "orders-valu", "--format", "json"] + data, in: mesh.root)
    let unknownDiagnostic = (try unknown.json()["diagnostics"] as? [[String: Any]])?.first
    #expect(unknownDiagnostic?["code"] as? String == "E0718")
    #expect(unknownDiagnostic?["file"] as? String == "<command line>")
    #expect(unknownDiagnostic?["column"] as? Int == 20)
    let version = try Meshc.run(
      ["schemas", "show", "orders-value", "--version", "7", "--format", "json"] + data, in: mesh.root)
    #expect((try version.json()["diagnostics"] as? [[String: Any]])?.first?["code"] as? String == "E0719")
    let mode = try Meshc.run(["schemas", "compatibility", "orders-value", "NONE"] + data, in: mesh.root)
    #expect(mode.status == 0)
    #expect(try Meshc.run(["schemas", "register", "orders-value", "bad.avsc"] + data, in: mesh.root).status == 0)
  }

  @Test func showsHelpListsVersionOnce() throws {
    let help = try Meshc.run(["schemas", "show", "--help"], in: Fixtures.packageRoot)
    #expect(help.status == 0)
    let lines = help.stdout.split(separator: "\n").filter {
      $0.trimmingCharacters(in: .whitespaces).hasPrefix("--version")
    }
    #expect(lines.count == 1, "\(help.stdout)")
    #expect(lines.first?.contains("--version <version>") == true)
    let root = try Meshc.run(["--version"], in: Fixtures.packageRoot)
    #expect(root.status == 0)
    #expect(root.stdout == "0.1.0\n")
  }

  /// One damaged subject file no longer hides the others: they are listed, it is reported.
  @Test func aDamagedSubjectDoesNotHideTheOthers() throws {
    let mesh = try TemporaryMesh(["v1.avsc": Self.v1])
    let data = ["--data-dir", mesh.root.appendingPathComponent("data").path]
    #expect(try Meshc.run(["schemas", "register", "orders-value", "v1.avsc"] + data, in: mesh.root).status == 0)
    try Data("junk".utf8).write(to: mesh.root.appendingPathComponent("data/schemas/subjects/junk.subject"))
    let list = try Meshc.run(["schemas", "list"] + data, in: mesh.root)
    #expect(list.status == 1)
    #expect(list.stdout.contains("orders-value"))
    #expect(list.stderr.contains("E0713") && list.stderr.contains("junk.subject"))
  }

  /// Framed values whose schema file is lost used to print as base64 with exit 0.
  @Test func consumeSaysWhenASchemaIsMissing() throws {
    let mesh = try TemporaryMesh(["v1.avsc": Self.v1])
    let data = ["--data-dir", mesh.root.appendingPathComponent("data").path]
    #expect(try Meshc.run(["schemas", "register", "orders-value", "v1.avsc"] + data, in: mesh.root).status == 0)
    let produced = try Meshc.run(
      ["produce", "orders", "--schema", "orders-value"] + data, in: mesh.root, input: Data("{\"id\": \"o-1\"}\n".utf8))
    #expect(produced.status == 0)
    try FileManager.default.removeItem(at: mesh.root.appendingPathComponent("data/schemas/ids/0000000001.avsc"))
    let consumed = try Meshc.run(["consume", "orders", "--from-beginning"] + data, in: mesh.root)
    #expect(consumed.status == 1)
    #expect(consumed.stdout.contains("\"offset\":0"))
    #expect(consumed.stderr.contains("E0713") && consumed.stderr.contains("0000000001.avsc"))
  }

  @Test func typedProduceAndConsumeRoundTripInTheWireFormat() throws {
    let mesh = try TemporaryMesh(["v1.avsc": Self.v1])
    let data = ["--data-dir", mesh.root.appendingPathComponent("data").path]
    #expect(try Meshc.run(["schemas", "register", "orders-value", "v1.avsc"] + data, in: mesh.root).status == 0)
    let produced = try Meshc.run(
      ["produce", "orders", "--schema", "orders-value"] + data, in: mesh.root, input: Data("{\"id\": \"o-1\"}\n".utf8))
    #expect(produced.status == 0, "\(produced.stderr)")
    let consumed = try Meshc.run(["consume", "orders", "--from-beginning"] + data, in: mesh.root)
    #expect(consumed.stdout.contains(#""value":{"id":"o-1"}"#), "\(consumed.stdout)")
    // The stored bytes are Kafka's: magic 0, the schema id, the Avro payload (a string "o-1").
    let log = try Log.open(directory: data[1], writable: false)
    var stored: [UInt8] = []
    _ = try log.topic("orders").partitions[0].reader(from: Offset(0)).forEachRecord(maxRecords: 1) { record in
      stored = record.value.map { Array($0) } ?? []
      return true
    }
    #expect(stored == [0, 0, 0, 0, 1, 6] + Array("o-1".utf8))
    let bad = try Meshc.run(
      ["produce", "orders", "--schema", "orders-value", "--format", "json"] + data, in: mesh.root,
      input: Data("{\"id\": 7}\n".utf8))
    #expect(bad.status == 1)
    let diagnostic = (try bad.json()["diagnostics"] as? [[String: Any]])?.first
    #expect(diagnostic?["code"] as? String == "E0721")
    #expect(diagnostic?["file"] as? String == "<stdin>")
    #expect(diagnostic?["line"] as? Int == 1)
    // The column is where the field that does not fit starts: `7` in `{"id": 7}`.
    #expect(diagnostic?["column"] as? Int == 8)
  }

  @Test func aRegistrationInProgressElsewhereIsReported() throws {
    let mesh = try TemporaryMesh(["v1.avsc": Self.v1])
    let data = mesh.root.appendingPathComponent("data").path
    let io = POSIXFileIO()
    try io.createDirectory(data)
    try io.createDirectory(data + "/schemas")
    let held = try #require(try io.lock(data + "/schemas/.lock"))
    defer { io.unlock(held) }
    let busy = try Meshc.run(["schemas", "register", "s", "v1.avsc", "--data-dir", data], in: mesh.root)
    #expect(busy.status == 1)
    #expect(busy.stderr.contains("E0720"))
  }
}
