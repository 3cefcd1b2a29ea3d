import MeshLog
import MeshTestSupport
import Testing

@testable import MeshDriver

@Suite struct RecordJSONTests {
  private func render(_ record: Record) throws -> String {
    var out: [UInt8] = []
    let buffer = [record]
    // Store the record as the log does, then render its view.
    let directory = try Fixtures.makeTemporaryDirectory("record-json").path
    let log = try Log.open(directory: directory)
    let partition = try log.createTopic("t", config: TopicConfig()).partition(0)
    try partition.append(buffer)
    try partition.reader(from: Offset(0)).forEachRecord { view in
      try RecordJSON.append(view, topic: "t", partition: 0, to: &out)
      return true
    }
    try log.close()
    return String(decoding: out, as: UTF8.self)
  }

  @Test func jsonValuesAreEmbeddedAndTextIsQuoted() throws {
    #expect(
      try render(Record(key: Array("o-1".utf8), value: Array(#"{"a": [1, 2]}"#.utf8), timestamp: 5))
        == #"{"topic":"t","partition":0,"offset":0,"timestamp":5,"key":"o-1","value":{"a": [1, 2]},"headers":{}}"#
        + "\n")
    #expect(
      try render(Record(value: Array("plain \"text\"".utf8), timestamp: 5)).contains(
        #""key":null,"value":"plain \"text\"""#))
    #expect(try render(Record(value: nil, timestamp: 5)).contains(#""value":null"#))
  }

  @Test func binaryBecomesBase64AndHeadersAnObject() throws {
    let record = Record(
      key: [0xFF, 0x00], value: [0xC3, 0x28, 0x01],
      headers: [
        RecordHeader(key: "trace", value: Array("a".utf8)), RecordHeader(key: "trace", value: nil),
        RecordHeader(key: "bin", value: [0xFF]),
      ], timestamp: 5)
    let line = try render(record)
    #expect(line.contains(#""key":{"base64":"/wA="}"#))
    #expect(line.contains(#""value":{"base64":"wygB"}"#))
    #expect(line.contains(#""headers":{"trace":["a",null],"bin":{"base64":"/w=="}}"#))
  }

  @Test func multiLineJSONValuesStayOnOneLine() throws {
    let line = try render(Record(value: Array("{\"a\":\n \"x\\ny\"\n}".utf8), timestamp: 5))
    #expect(line.filter { $0 == "\n" }.count == 1)
    #expect(line.contains(#""value":{"a": "x\ny"}"#))
  }
}
