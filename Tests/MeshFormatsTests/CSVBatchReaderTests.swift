import MeshData
import MeshFormats
import MeshSchema
import MeshTestSupport
import Testing

@Suite struct CSVBatchReaderTests {
  static let schema = """
    {"type": "record", "name": "Order", "fields": [
      {"name": "id", "type": "string"},
      {"name": "qty", "type": "int"},
      {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
      {"name": "rate", "type": "double"},
      {"name": "paid", "type": "boolean"},
      {"name": "day", "type": {"type": "int", "logicalType": "date"}},
      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
      {"name": "coupon", "type": ["null", "string"], "default": null},
      {"name": "note", "type": ["null", "string"], "default": null}
    ]}
    """

  static func read(
    _ text: String, options: CSVBatchReader.Options = .init(), batchSize: Int = 2
  ) throws -> (
    rows: [String], rejected: [String]
  ) {
    let avro = try parseSchema(Self.schema)
    let reader = try CSVBatchReader(
      bytes: Array(text.utf8), schema: try #require(RecordSchema(avro: avro)), options: options, batchSize: batchSize)
    var rows: [String] = []
    var rejected: [String] = []
    while let (batch, problems) = reader.nextBatch() {
      var out: [UInt8] = []
      BatchJSON(avro: avro).append(batch, to: &out)
      rows += String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
      rejected += problems.map(\.description)
    }
    return (rows, rejected)
  }

  @Test func readsEveryColumnAsItsTypeAndRejectsWhatDoesNotFit() throws {
    let text = """
      status,id,qty,amount,rate,paid,day,at,coupon,extra
      NEW,o1,2,12.50,0.5,true,2026-11-24,2026-11-24T19:00:00+01:00,,x
      PAID,o2,-3,7,1e3,FALSE,2026-01-01,1764010800000,"",y
      NEW,o3,two,1,1,true,2026-01-01,0,,
      NEW,o4,1,1.005,1,true,2026-01-01,0,,
      NEW,o5,1,1,1,maybe,2026-01-01,0,,
      NEW,o6,1,1,1,true,2026-02-30,0,,
      LOST,o7,1,1,1,true,2026-01-01,0,,
      NEW,o8,1,1,1,true,2026-01-01,2026-01-01T00:00:00,,
      NEW,o9,,1,1,true,2026-01-01,0,,
      NEW,o10,1,1,1,true,2026-01-01,0
      NEW,o11,99999999999,1,1,true,2026-01-01,0,SPRING,"a ""quoted"" note"
      NEW,"o12,x",1,1,1,true,2026-01-01,0,,
      """
    let (rows, rejected) = try Self.read(text)
    #expect(
      rows == [
        #"{"id":"o1","qty":2,"amount":"12.50","rate":0.5,"paid":true,"day":"2026-11-24","at":"2026-11-24T18:00:00.000Z","status":"NEW","coupon":null,"note":null}"#,
        #"{"id":"o2","qty":-3,"amount":"7.00","rate":1000,"paid":false,"day":"2026-01-01","at":"2025-11-24T19:00:00.000Z","status":"PAID","coupon":"","note":null}"#,
        #"{"id":"o12,x","qty":1,"amount":"1.00","rate":1,"paid":true,"day":"2026-01-01","at":"1970-01-01T00:00:00.000Z","status":"NEW","coupon":null,"note":null}"#,
      ])
    #expect(
      rejected == [
        "line 4, column 8: field qty: expected an int (32 bits)",
        "line 5, column 10: field amount: expected a decimal with at most 9 digits, 2 after the point",
        "line 6, column 14: field paid: expected true or false",
        "line 7, column 19: field day: expected a date (YYYY-MM-DD)",
        "line 8, column 1: field status: expected one of NEW, PAID",
        "line 9, column 30: field at: the timestamp has no zone: add Z for UTC or an offset such as +01:00",
        "line 10, column 8: field qty: a value is required",
        "line 11, column 31: 8 fields where the header has 10",
        "line 12, column 9: field qty: expected an int (32 bits)",
      ])
  }

  @Test func headerlessFilesOtherDelimitersAndNullSpellings() throws {
    let text = "o1;2;1;1;true;2026-01-01;0;NEW;NULL;n\n"
    let (rows, rejected) = try Self.read(
      text, options: CSVBatchReader.Options(delimiter: UInt8(ascii: ";"), nullText: "NULL", header: false))
    #expect(rejected == [])
    #expect(rows.count == 1)
    #expect(rows.first?.contains(#""coupon":null,"note":"n""#) == true)
  }

  @Test func aHeaderWithoutARequiredColumnAndAnUnclosedQuote() throws {
    #expect(throws: FormatError.self) { try Self.read("id,qty\no1,2\n") }
    let (rows, rejected) = try Self.read(
      "id,qty,amount,rate,paid,day,at,status\no1,1,1,1,true,2026-01-01,0,NEW\no2,1,1,1,true,2026-01-01,0,\"NEW\n")
    #expect(rows.count == 1)
    #expect(rejected == ["line 3, column 28: a quoted field is never closed"])
  }
}

/// Doubles read from CSV are the doubles their text names, exactly as strtod rounds
/// them: short decimals take a fast path, the rest strtod; both are checked here against
/// Swift's own `Double(String)`.
@Test func doublesReadFromCSVAreCorrectlyRounded() throws {
  var random = SeededRandom()
  var texts: [String] = []
  for _ in 0..<3000 {
    var digits = (0..<Int.random(in: 1...18, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }
      .joined()
    if Bool.random(using: &random) {
      let point = Int.random(in: 0...digits.count, using: &random)
      digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point))
      if digits.hasSuffix(".") { digits += "0" }
      if digits.hasPrefix(".") { digits = "0" + digits }
    }
    let sign = ["", "-", "+"][Int.random(in: 0..<3, using: &random)]
    let exponent = Int.random(in: 0..<5, using: &random) == 0 ? "e\(Int.random(in: -30...30, using: &random))" : ""
    texts.append(sign + digits + exponent)
  }
  let schema = RecordSchema(name: "R", fields: [DataField(name: "x", type: .float64, nullable: false)])
  let reader = try CSVBatchReader(bytes: Array(("x\n" + texts.joined(separator: "\n") + "\n").utf8), schema: schema)
  var values: [Double] = []
  while let (batch, rejected) = reader.nextBatch() {
    #expect(rejected.isEmpty, "\(rejected.map(\.description))")
    if case .float64(let column) = batch.columns[0].values { values += column }
  }
  #expect(values.count == texts.count)
  for (text, value) in zip(texts, values) {
    let expected = try #require(Double(text), "\(text)")
    #expect(value.bitPattern == expected.bitPattern, "\(text): \(value) ≠ \(expected)")
  }
}
