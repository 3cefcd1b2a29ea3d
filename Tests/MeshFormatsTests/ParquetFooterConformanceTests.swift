import Foundation
import MeshFormats
import MeshTestSupport
import Testing

/// The footers of apache/parquet-testing's files (../shared/conformance/parquet-testing)
/// are Thrift compact structs that the reader takes whole: exactly the footer's bytes,
/// with the row count and schema where FileMetaData keeps them (fields 3 and 2).
@Suite(.enabled(if: Fixtures.conformanceAvailable, Fixtures.conformanceSkipped))
struct ParquetFooterConformanceTests {
  @Test func everyPlainFootersThriftReads() throws {
    let root = Fixtures.conformanceRoot.appendingPathComponent("parquet-testing/data")
    let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".parquet") }
      .sorted()
    var read = 0
    var encrypted = 0
    for name in files {
      let bytes = Array(try Data(contentsOf: root.appendingPathComponent(name)))
      guard bytes.count >= 12 else { continue }
      let magic = String(decoding: bytes.suffix(4), as: UTF8.self)
      // Files with encrypted footers ("PARE") are read only with their keys.
      if magic == "PARE" {
        encrypted += 1
        continue
      }
      #expect(magic == "PAR1", "\(name)")
      let lengthBytes = bytes[(bytes.count - 8)..<(bytes.count - 4)]
      let length = lengthBytes.reversed().reduce(0) { $0 << 8 | Int($1) }
      let footer = Array(bytes[(bytes.count - 8 - length)..<(bytes.count - 8)])
      let (metadata, used) = try CompactReader.readStruct(footer)
      #expect(used == footer.count, "\(name)")
      #expect(metadata[3]?.integer != nil, "\(name) has a row count")
      if case .list(.structure, let schema) = metadata[2] {
        #expect(!schema.isEmpty, "\(name)")
      } else {
        Issue.record("\(name): no schema list")
      }
      #expect(CompactWriter.bytes(of: metadata) == footer, "\(name): the footer writes back to the same bytes")
      read += 1
    }
    print("Parquet conformance: \(read) footers read and written back, \(encrypted) encrypted ones skipped")
    #expect(read > 50)
  }
}
