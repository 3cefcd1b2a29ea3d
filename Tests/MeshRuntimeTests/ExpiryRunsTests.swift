import MeshTestSupport
import Testing

@testable import MeshRuntime

/// The stream-stream join's leaving order against a sorted list: batches in time order
/// and out of it, large and of one entry, of times near and far, with removals at rising
/// limits between them.
@Suite struct ExpiryRunsTests {
  @Test func entriesLeaveByTimeThenArrivalWhateverTheBatches() {
    var random = SeededRandom()
    for _ in 0..<50 {
      var runs = ExpiryRuns()
      var model: [ExpiryRuns.Entry] = []
      var (sequence, clock, limit): (Int64, Int64, Int64) = (0, 0, .min)
      let disorder = Int64.random(in: 0...50, using: &random)
      for _ in 0..<Int.random(in: 1...60, using: &random) {
        for _ in 0..<Int.random(in: 0...(Bool.random(using: &random) ? 2 : 300), using: &random) {
          clock += Int64.random(in: 0...2, using: &random)
          // Now and then a time far away, which the batch's sort cannot pack.
          let far = Int.random(in: 0..<100, using: &random) == 0 ? Int64.max / 2 : 0
          let entry = ExpiryRuns.Entry(
            time: clock + Int64.random(in: 0...disorder, using: &random) + far, sequence: sequence,
            slot: Int32(truncatingIfNeeded: sequence))
          sequence += 1
          runs.append(entry)
          model.append(entry)
        }
        runs.seal()
        #expect(runs.count == model.count)
        if Bool.random(using: &random) {
          limit = max(limit, clock - Int64.random(in: -disorder...disorder * 2, using: &random))
          let removed = runs.removeAll(before: limit)
          model.sort(by: ExpiryRuns.Entry.before)
          let expected = model.prefix { $0.time < limit }
          model.removeFirst(expected.count)
          #expect(removed.map(\.sequence) == expected.map(\.sequence), "seed \(random.seed)")
        }
        #expect(runs.unordered.map(\.sequence).sorted() == model.map(\.sequence).sorted(), "seed \(random.seed)")
      }
    }
  }
}
