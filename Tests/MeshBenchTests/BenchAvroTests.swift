import MeshBench
import Testing

/// `meshc bench avro` on a small table: every codec writes a file that reads back to as
/// many rows (the benchmark checks the count itself and throws otherwise).
@Suite struct BenchAvroTests {
  @Test func everyCodecWritesAndReadsTheTable() throws {
    let result = try Benchmarks.benchAvro(records: 5_000, repeats: 1)
    #expect(result.lines.map(\.codec) == ["null", "deflate", "snappy", "zstandard"])
    #expect(result.lines.allSatisfy { $0.bytes > 5_000 * 10 && $0.writeSeconds > 0 && $0.readSeconds > 0 })
    // Compressed files are smaller than the uncompressed one.
    #expect(result.lines.dropFirst().allSatisfy { $0.bytes < result.lines[0].bytes })
    #expect(result.text.contains("zstandard"))
  }
}
