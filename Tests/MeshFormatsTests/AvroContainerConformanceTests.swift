import Foundation
import MeshData
import MeshDiagnostics
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

/// The container files of Apache Avro's suite (../shared/conformance/avro): each reads,
/// holds the records its JSON says, and survives being written back and read again.
@Suite(.enabled(if: Fixtures.conformanceAvailable, Fixtures.conformanceSkipped))
struct AvroContainerConformanceTests {
  static let avro = Fixtures.conformanceRoot.appendingPathComponent("avro")

  static func bytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: avro.appendingPathComponent(path)))
  }

  /// Records given as Avro's JSON encoding, in binary.
  static func expected(_ values: [SourceValue], schema: Schema) throws -> [[UInt8]] {
    let json = AvroJSON(schema, plainUnions: true)
    return try values.map { try AvroBinary(schema).encode(try json.value($0)) }
  }

  static func readBack(_ file: [UInt8]) throws -> [[UInt8]] {
    let reader = try AvroContainerReader(bytes: file)
    let writer = try AvroContainerWriter(schema: reader.writerSchema, codec: reader.codec)
    var output = writer.takeOutput()
    while let batch = try reader.nextBatch() {
      try writer.write(batch)
      output += writer.takeOutput()
    }
    try writer.finish()
    output += writer.takeOutput()
    let original = try AvroContainerTests.readRecords(file).records
    #expect(try AvroContainerTests.readRecords(output).records == original)
    return original
  }

  @Test func everyContainerReads() throws {
    var read = 0
    let weatherText = try String(contentsOf: Self.avro.appendingPathComponent("data/weather.json"), encoding: .utf8)
    let weatherJSON = JSONReader.readAll(SourceFile(path: "weather.json", text: weatherText)).values
    for name in ["weather", "weather-deflate", "weather-snappy", "weather-zstd"] {
      let file = try Self.bytes("data/\(name).avro")
      let schema = try AvroContainerReader(bytes: file).writerSchema
      #expect(try Self.readBack(file) == Self.expected(weatherJSON, schema: schema), "\(name).avro")
      read += 1
    }
    let interopText = try String(
      contentsOf: Self.avro.appendingPathComponent("interop/py.expected.json"), encoding: .utf8)
    let interop = try #require(JSONReader.read(SourceFile(path: "py.expected.json", text: interopText)).value)
    for name in ["py", "py_deflate"] {
      let file = try Self.bytes("interop/\(name).avro")
      let reader = try AvroContainerReader(bytes: file)
      #expect(reader.metadata["user_metadata"] == Array("someByteArray".utf8), "\(name).avro")
      let records = try #require(interop["records"]?.items)
      #expect(try Self.readBack(file) == Self.expected(records, schema: reader.writerSchema), "\(name).avro")
      read += 1
    }
    for path in [
      "data/weather-sorted.avro", "data/syncInMeta.avro", "data/schemas/simple/data.avro",
      "data/schemas/withUnion/data.avro",
    ] {
      #expect(try !Self.readBack(try Self.bytes(path)).isEmpty, "\(path)")
      read += 1
    }
    print("Avro conformance: \(read) container files read, checked and written back")
  }
}
