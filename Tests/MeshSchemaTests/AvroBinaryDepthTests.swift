import MeshDiagnostics
import MeshSchema
import Testing

/// Decoding a recursive schema used to recurse once per input byte or two, so about a
/// kilobyte of input overflowed the stack; nesting is bounded now and reported.
@Suite struct AvroBinaryDepthTests {
  static let node = Schema.parse(
    SourceFile(
      path: "node.avsc",
      text:
        #"{"type": "record", "name": "Node", "fields": [{"name": "value", "type": "long"}, {"name": "next", "type": ["null", "Node"]}]}"#
    )
  ).schema

  /// A list of `count` nodes: each is its value (zig-zag 1) and the union branch.
  static func list(_ count: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    for index in 0..<count { bytes += [2, index == count - 1 ? 0 : 2] }
    return bytes
  }

  @Test func shallowRecursionDecodes() throws {
    let schema = try #require(Self.node)
    let value = try AvroBinary(schema).decode(Self.list(40))
    #expect(try AvroBinary(schema).encode(value) == Self.list(40))
  }

  @Test(arguments: [60, 1000, 100_000])
  func deepRecursionIsAnErrorNotACrash(_ count: Int) throws {
    let schema = try #require(Self.node)
    #expect {
      try AvroBinary(schema).decode(Self.list(count))
    } throws: { error in
      (error as? AvroValueError)?.message.contains("nested more than") == true
    }
  }
}
