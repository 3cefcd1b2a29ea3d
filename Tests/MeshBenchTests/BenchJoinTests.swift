import MeshBench
import Testing

/// `meshc bench join` on a small input: every order joins its customer and pairs with
/// its payment, DuckDB (when the oracles' environment is there) finds as many rows, and
/// the interval join's state stays within its window plus the lateness.
@Suite struct BenchJoinTests {
  @Test func everyOrderJoinsAndPairsAndTheStateStaysBounded() throws {
    let result = try Benchmarks.benchJoin(records: 200_000, keys: 5_000)
    #expect(result.lines.count == 2)
    #expect(result.lines.map(\.outputRecords) == [200_000, 200_000])
    for line in result.lines where line.peerRecords != nil { #expect(line.peerRecords == line.outputRecords) }
    // One order per 10 ms: 60,000 in a 10-minute window, and as many again of lateness,
    // per side — far fewer than the 400,000 records that go through.
    #expect(result.lines[1].peakState < 260_000)
    #expect(result.text.contains("stream-stream join within 10 minutes"))
  }
}
