import Foundation
import MeshFormats
import MeshTestSupport
import Testing

/// apache/parquet-testing's data files (../shared/conformance/parquet-testing), read by
/// meshc and compared with what pyarrow read from them (its `expected/` JSON): the row
/// count and the first rows, value by value. Files pyarrow cannot read and the
/// `bad_data` reproducers must be errors, never crashes or made-up records, except where
/// meshc is knowingly different (listed below, each with its reason).
@Suite(.enabled(if: Fixtures.conformanceAvailable, Fixtures.conformanceSkipped))
struct ParquetDataConformanceTests {
  /// Files pyarrow reads that meshc refuses on purpose.
  static let refused: [String: String] = [
    "data/datapage_v1-corrupt-checksum.parquet": "checksum",
    "data/rle-dict-uncompressed-corrupt-checksum.parquet": "checksum",
    "data/fixed_length_decimal.parquet": "precision 25;",
  ]

  /// Files pyarrow refuses that meshc reads: Python's dates stop at year 9999 (the
  /// values are fine), and a map whose keys are not marked required is still a map.
  static let readDespitePyarrow: Set<String> = [
    "data/int96_from_spark.parquet", "data/nested_structs.rust.parquet", "data/incorrect_map_schema.parquet",
  ]

  @Test func filesReadAsPyarrowReadsThem() throws {
    let root = Fixtures.conformanceRoot.appendingPathComponent("parquet-testing")
    let expectedFiles = try FileManager.default.contentsOfDirectory(
      atPath: root.appendingPathComponent("expected").path
    ).sorted()
    var compared = 0
    var refusedAsExpected = 0
    for name in expectedFiles where name.hasSuffix(".json") {
      let expected = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("expected/\(name)")))
          as? [String: Any])
      let file = try #require(expected["file"] as? String)
      let readable = expected["readable_by_pyarrow"] as? Bool ?? false
      let outcome = Result { try Self.read(root.appendingPathComponent(file).path) }
      if let reason = Self.refused[file] {
        #expect(throws: FormatError.self, "\(file) is refused (\(reason))") { try outcome.get() }
        if case .failure(let error) = outcome { #expect("\(error)".contains(reason), "\(file): \(error)") }
        continue
      }
      guard readable || Self.readDespitePyarrow.contains(file) else {
        #expect(throws: FormatError.self, "\(file) cannot be read: \(expected["error"] ?? "")") { try outcome.get() }
        refusedAsExpected += 1
        continue
      }
      let (rows, count) = try outcome.get()
      guard readable else { continue }
      #expect(count == expected["num_rows"] as? Int, "\(file): row count")
      let first = expected["first_rows"] as? [Any] ?? []
      #expect(rows.count >= first.count, "\(file)")
      for (index, (ours, theirs)) in zip(rows, first).enumerated() {
        #expect(Self.same(ours, theirs), "\(file) row \(index): meshc \(ours) pyarrow \(theirs)")
      }
      compared += 1
    }
    print(
      "parquet-testing: \(compared) files read as pyarrow reads them, \(refusedAsExpected) refused as pyarrow refuses them"
    )
    #expect(compared >= 55)
    #expect(refusedAsExpected >= 8)
  }

  /// The file's first 100 records as JSON values, and how many records it has.
  static func read(_ path: String) throws -> ([Any], Int) {
    let reader = try ParquetReader(source: try ParquetFile(path: path))
    let printer = BatchJSON(avro: reader.avroSchema)
    var rows: [Any] = []
    var count = 0
    while let batch = try reader.nextBatch() {
      count += batch.count
      guard rows.count < 100 else { continue }
      var out: [UInt8] = []
      printer.append(batch, to: &out)
      for line in out.split(separator: UInt8(ascii: "\n")).prefix(100 - rows.count) {
        rows.append(try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed]))
      }
    }
    return (rows, count)
  }

  /// Equal values across the two JSON mappings: pyarrow's bytes are `{"base64": …}`,
  /// its maps lists of `[key, value]`, its timestamps end in `Z` with six digits.
  static func same(_ ours: Any, _ theirs: Any) -> Bool {
    switch theirs {
    case is NSNull:
      return ours is NSNull
    case let bytes as [String: Any] where bytes.count == 1 && bytes["base64"] != nil:
      return ours as? String == bytes["base64"] as? String
    case let record as [String: Any]:
      guard let mine = ours as? [String: Any], Set(mine.keys) == Set(record.keys) else { return false }
      return record.allSatisfy { key, value in mine[key].map { same($0, value) } ?? false }
    case let list as [Any]:
      if let map = ours as? [String: Any] {
        let pairs = list.compactMap { $0 as? [Any] }
        guard pairs.count == list.count, pairs.count == map.count else { return false }
        return pairs.allSatisfy { pair in
          pair.count == 2 && (pair[0] as? String).flatMap { map[$0] }.map { same($0, pair[1]) } == true
        }
      }
      guard let mine = ours as? [Any], mine.count == list.count else { return false }
      return zip(mine, list).allSatisfy { mineItem, item in
        if let pair = item as? [Any], pair.count == 2, let entry = mineItem as? [String: Any], entry.count == 2,
          let key = entry["key"], let value = entry["value"]
        {
          return same(key, pair[0]) && same(value, pair[1])
        }
        return same(mineItem, item)
      }
    case let text as String:
      guard let mine = ours as? String else { return false }
      return time(mine) == time(text)
    case let number as NSNumber:
      guard let mine = ours as? NSNumber else { return false }
      let (a, b) = (mine.doubleValue, number.doubleValue)
      return a == b || abs(a - b) <= 1e-6 * max(1, abs(b))
    default:
      return false
    }
  }

  /// A timestamp without its zone letter and without trailing zeros in its fraction.
  static func time(_ text: String) -> String {
    var text = text
    guard text.count >= 19, text.dropFirst(10).first == "T" else { return text }
    if text.hasSuffix("Z") { text.removeLast() }
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }
}
