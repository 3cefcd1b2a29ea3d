import MeshBench
import Testing

@Suite struct BenchPipelineTests {
  @Test func aSmallPipelineRunsAndSumsEveryHour() throws {
    let result = try Benchmarks.benchPipeline(records: 3_000)
    #expect(result.summary.hasPrefix("bench.hourly: 1 file, 3000 records in, "), "\(result.summary)")
    #expect(result.text.contains("meshc run"))
  }
}
