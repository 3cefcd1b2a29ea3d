import Foundation
import MeshRuntime
import Testing

@testable import MeshDriver

/// The progress line's text, and that `meshc run` draws it when asked and erases it
/// before the summary.
@Suite struct ProgressLineTests {
  @Test func theLineSaysRecordsRateDeadLettersLateAndLag() {
    var summary = RunSummary(product: "sales.orders")
    summary.recordsIn = 12_000
    summary.deadLettered = 3
    summary.late = 1
    #expect(
      ProgressLine.text(RunProgress(summary: summary, lag: .files(2)), seconds: 2)
        == "sales.orders: 12000 records in (6000/s), 3 dead-lettered, 1 late, lag 2 files")
    #expect(
      ProgressLine.text(RunProgress(summary: summary, lag: .records(1)), seconds: 0.01)
        == "sales.orders: 12000 records in, 3 dead-lettered, 1 late, lag 1 record")
  }

  @Test func aLineIsDrawnAtMostFourTimesASecondAndErased() {
    var written: [String] = []
    let line = ProgressLine { written.append($0) }
    let progress = RunProgress(summary: RunSummary(product: "p"), lag: .files(1))
    line.update(progress)
    line.update(progress)
    #expect(written.count == 1)
    #expect(written.first?.hasPrefix("\r\u{1B}[Kp: 0 records in") == true)
    line.clear()
    #expect(written.last == "\r\u{1B}[K")
  }

  @Test func runDrawsItWhenAskedAndNeverInJSON() throws {
    let root = try RunTests.mesh()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(try Meshc.run(["sample", "--orders", "300"], in: root).status == 0)
    let run = try Meshc.run(["run", "sales.orders", "--once"], in: root, environment: ["MESHC_PROGRESS": "1"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("\r\u{1B}[Ksales.orders: "), "\(run.stderr)")
    #expect(run.stderr.hasSuffix("\r\u{1B}[K"), "\(run.stderr)")
    #expect(run.stdout.hasPrefix("sales.orders: 3 files"))
    let json = try Meshc.run(
      ["run", "sales.orders", "--once", "--format", "json", "--data-dir", "other"], in: root,
      environment: ["MESHC_PROGRESS": "1"])
    #expect(!json.stderr.contains("\r"), "\(json.stderr)")
  }
}
