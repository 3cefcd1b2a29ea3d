import MeshDiagnostics
import MeshSchema
import Testing

@Suite struct AvroJSONTests {
  static func value(_ json: String, as type: String) throws -> AvroValue {
    let schema = try #require(Schema.parse(SourceFile(path: "s.avsc", text: #"{"type": "\#(type)"}"#)).schema)
    let source = try #require(JSONReader.read(SourceFile(path: "v.json", text: json)).value)
    return try AvroJSON(schema).value(source)
  }

  /// A JSON number past the type's range used to be stored as infinity (and printed as
  /// the string "Infinity"); it is an error now.
  @Test(arguments: [("1e400", "double"), ("-1e400", "double"), ("1e39", "float"), ("-3.5e38", "float")])
  func numbersOutOfRangeAreErrors(_ json: String, _ type: String) {
    #expect(throws: AvroValueError.self) { try Self.value(json, as: type) }
  }

  @Test func numbersInRangeAndAvrosSpecialSpellingsRead() throws {
    #expect(try Self.value("1.5e300", as: "double") == .double(1.5e300))
    #expect(try Self.value("3e38", as: "float") == .float(3e38))
    #expect(try Self.value("\"Infinity\"", as: "double") == .double(.infinity))
  }
}
