import Testing

@testable import MeshBench

/// The report's verdicts and the ratios printed beside them must agree.
@Suite struct BenchLogReportTests {
  private func report(readRatio: Double) -> String {
    let reads = BenchLogReads(baselineSeconds: readRatio, recordsSeconds: 1, batchesSeconds: 1)
    let run = BenchLogRun(baselineWriteSeconds: 1, appendSeconds: 2, reads: [reads], decodeSeconds: 1)
    return BenchLogResult(options: BenchLogOptions(), runs: [run], peakResidentBytes: 1 << 20, records: 1000).text
  }

  @Test func aRatioJustUnderItsTargetPrintsUnderIt() {
    #expect(report(readRatio: 0.6996).contains("ratio 0.69 (target ≥ 0.70: MISSES)"))
    #expect(report(readRatio: 0.70).contains("ratio 0.70 (target ≥ 0.70: meets)"))
    #expect(report(readRatio: 0.7049).contains("ratio 0.70 (target ≥ 0.70: meets)"))
    #expect(report(readRatio: 0.5).contains("ratio 0.50 (target ≥ 0.50: meets)"))
  }
}
