import Foundation
import MeshSchema
import MeshTestSupport
import Testing

@testable import MeshLog

struct SchemaRegistryTests {
  static func schema(_ extra: String = "") -> [UInt8] {
    Array(#"{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}\#(extra)]}"#.utf8)
  }

  static func registry() throws -> (SchemaRegistry, String) {
    let directory = try Fixtures.makeTemporaryDirectory("meshc-registry").path
    return (SchemaRegistry(log: try Log.open(directory: directory)), directory)
  }

  @Test func idsAreGlobalVersionsPerSubjectAndDuplicatesReuseTheirId() throws {
    let (registry, _) = try Self.registry()
    #expect(try registry.register(Self.schema(), path: "v1", subject: "orders-value") == .registered(id: 1, version: 1))
    #expect(try registry.register(Self.schema(), path: "v1", subject: "orders-value") == .existing(id: 1, version: 1))
    let v2 = Self.schema(#", {"name": "note", "type": ["null", "string"], "default": null}"#)
    #expect(try registry.register(v2, path: "v2", subject: "orders-value") == .registered(id: 2, version: 2))
    // The same schema under another subject keeps its id.
    #expect(try registry.register(v2, path: "v2", subject: "audit-value") == .registered(id: 2, version: 1))
    #expect(try registry.subjects() == ["audit-value", "orders-value"])
    #expect(try registry.versions(of: "orders-value") == [1, 2])
    #expect(try registry.schema(subject: "orders-value", version: nil).version == 2)
  }

  @Test func incompatibleSchemasAreRefusedUnderTheSubjectsMode() throws {
    let (registry, _) = try Self.registry()
    _ = try registry.register(Self.schema(), path: "v1", subject: "s")
    let breaking = Self.schema(#", {"name": "coupon", "type": "string"}"#)
    #expect {
      try registry.register(breaking, path: "v2", subject: "s")
    } throws: { error in
      guard case .incompatible(_, .backward, let problems) = error as? RegistryError else { return false }
      return problems.first?.path == "Order.coupon"
    }
    try registry.setCompatibility(.none, for: "s")
    #expect(try registry.compatibility(of: "s") == CompatibilityMode.none)
    #expect(try registry.register(breaking, path: "v2", subject: "s") == .registered(id: 2, version: 2))
  }

  @Test func registrationsSurviveReopeningAndDamageIsReported() throws {
    let (registry, directory) = try Self.registry()
    _ = try registry.register(Self.schema(), path: "v1", subject: "s")
    let reopened = SchemaRegistry(log: try Log.open(directory: directory))
    #expect(try reopened.versions(of: "s") == [1])
    let subjectFile = "\(directory)/schemas/subjects/s.subject"
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: subjectFile)))
    bytes[12] ^= 0xFF
    try Data(bytes).write(to: URL(fileURLWithPath: subjectFile))
    #expect {
      try reopened.versions(of: "s")
    } throws: { error in
      if case .damaged(let path, _) = error as? RegistryError { return path == subjectFile }
      return false
    }
  }

  /// A lost id file used to give its id to the next schema: an existing subject then
  /// resolved to the wrong schema. Ids come from a durable counter now, and the lost file
  /// is reported as damage.
  @Test func aLostIdFileIsDamageAndItsIdIsNeverReused() throws {
    let (registry, directory) = try Self.registry()
    _ = try registry.register(Self.schema(), path: "v1", subject: "orders-value")
    try FileManager.default.removeItem(atPath: "\(directory)/schemas/ids/0000000001.avsc")
    #expect {
      try registry.schema(id: 1)
    } throws: { error in
      if case .damaged(let path, _) = error as? RegistryError { return path.hasSuffix("0000000001.avsc") }
      return false
    }
    let other = Array(#"{"type": "record", "name": "Other", "fields": []}"#.utf8)
    #expect(try registry.register(other, path: "other", subject: "other-value") == .registered(id: 2, version: 1))
    // Losing the counter too: the subjects still say which ids were handed out.
    try FileManager.default.removeItem(atPath: "\(directory)/schemas/next-id")
    try FileManager.default.removeItem(atPath: "\(directory)/schemas/ids/0000000002.avsc")
    let third = Array(#"{"type": "record", "name": "Third", "fields": []}"#.utf8)
    #expect(try registry.register(third, path: "third", subject: "third-value") == .registered(id: 3, version: 1))
    #expect(throws: RegistryError.self) { try registry.schema(id: 99) }
  }

  @Test func aForgedCounterIsDamageNotATrap() throws {
    let (registry, directory) = try Self.registry()
    _ = try registry.register(Self.schema(), path: "v1", subject: "s")
    try Data("9223372036854775807\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/schemas/next-id"))
    let other = Array(#"{"type": "record", "name": "Other", "fields": []}"#.utf8)
    #expect {
      try registry.register(other, path: "other", subject: "t")
    } throws: { error in
      if case .damaged = error as? RegistryError { return true }
      return false
    }
  }

  @Test func badSubjectsSchemasAndLookups() throws {
    let (registry, _) = try Self.registry()
    #expect(throws: RegistryError.self) { try registry.register(Self.schema(), path: "x", subject: "../escape") }
    #expect(throws: RegistryError.self) { try registry.register(Array("{".utf8), path: "x", subject: "s") }
    #expect(throws: RegistryError.self) { try registry.versions(of: "missing") }
    #expect(throws: RegistryError.self) { try registry.schema(id: 42) }
    _ = try registry.register(Self.schema(), path: "v1", subject: "s")
    #expect(throws: RegistryError.self) { try registry.schema(subject: "s", version: 2) }
  }

  @Test func subjectFilesRoundTrip() {
    let file = SubjectFile(mode: .fullTransitive, ids: [3, 1, 7])
    #expect(SubjectFile.decode(file.encode()) == file)
    #expect(SubjectFile.decode(Array(file.encode().dropLast())) == nil)
    #expect(SubjectFile.decode(SubjectFile(mode: nil, ids: []).encode()) == SubjectFile(mode: nil, ids: []))
  }
}
