import MeshFormats
import Testing

@Suite struct CSVReaderTests {
  static func records(_ text: String, delimiter: Character = ",") throws -> [CSVReader.Record] {
    var reader = CSVReader(bytes: Array(text.utf8), delimiter: delimiter.asciiValue ?? 0x2C)
    var records: [CSVReader.Record] = []
    while let record = try reader.next() { records.append(record) }
    return records
  }

  static func texts(_ record: CSVReader.Record) -> [String] {
    record.fields.map { String(decoding: $0, as: UTF8.self) }
  }

  /// Where a piece of a file may be cut: after the last line break outside quotes.
  @Test func theLastRecordEndIsOutsideQuotes() {
    func end(_ text: String) -> Int? { CSVReader.lastRecordEnd(Array(text.utf8)[...]) }
    #expect(end("a,b\nc,d\ne,f") == 8)
    #expect(end("a,b\nc,d\n") == 8)
    #expect(end("a,b") == nil)
    #expect(end("") == nil)
    #expect(end("a,b\n\"c\nd\",e") == 4)
    #expect(end("a,\"b\nc\"\nd") == 8)
    let slice = Array("xx\na\nb".utf8)[3...]
    #expect(CSVReader.lastRecordEnd(slice) == 5)
  }

  @Test func readsRFC4180() throws {
    let records = try Self.records("\u{FEFF}a,b,c\r\n1,\"x, \"\"y\"\"\",\n\n\"two\r\nlines\",,\"\"\n3,4,5")
    #expect(
      records.map(Self.texts) == [
        ["a", "b", "c"], ["1", "x, \"y\"", ""], ["two\r\nlines", "", ""], ["3", "4", "5"],
      ])
    #expect(records.map(\.line) == [1, 2, 4, 6])
    #expect(records[1].columns == [1, 3, 14])
    #expect(records[2].quoted == [true, false, true])
  }

  @Test func tabsAndOtherDelimiters() throws {
    #expect(try Self.records("a\tb\n1\t2\n", delimiter: "\t").map(Self.texts) == [["a", "b"], ["1", "2"]])
    #expect(try Self.records("a;b\n", delimiter: ";").map(Self.texts) == [["a", "b"]])
  }

  @Test func malformedFieldsAreLocatedErrors() throws {
    #expect(throws: CSVError("a quoted field is never closed", line: 2, column: 3)) {
      try Self.records("a,b\n1,\"open\n2,3\n")
    }
    #expect(
      throws: CSVError(
        "text after a closing quote", line: 1, column: 5, help: "double a quote that belongs to the field")
    ) {
      try Self.records("\"ab\"c,d\n")
    }
    #expect(
      throws: CSVError(
        "a quote inside an unquoted field", line: 3, column: 4,
        help: "quote the whole field and double the quotes inside it")
    ) {
      try Self.records("a\nb\nabc\"d\n")
    }
  }
}
