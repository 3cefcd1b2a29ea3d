import Testing

@testable import MeshLog

@Suite struct ReadAheadChooserTests {
  /// Feeds the chooser refills of 1000 bytes from `now` on, each taking as long as
  /// `nanoseconds` says for the way it asked for; returns the ways it chose, one per refill.
  private func run(
    _ chooser: inout ReadAheadChooser, refills: Int, now: inout UInt64,
    nanoseconds: (ReadAheadChooser.Way) -> UInt64
  ) -> [ReadAheadChooser.Way] {
    var ways: [ReadAheadChooser.Way] = []
    var way = chooser.refilled(bytes: 1000, at: now)
    for _ in 0..<refills {
      ways.append(way)
      now += nanoseconds(way)
      way = chooser.refilled(bytes: 1000, at: now)
    }
    return ways
  }

  @Test func itKeepsReadingAheadWhenThatIsFaster() {
    var chooser = ReadAheadChooser(epochRefills: 4, probeEvery: 5)
    var now: UInt64 = 1000
    let ways = run(&chooser, refills: 200, now: &now) { $0 == .ahead ? 100 : 200 }
    // One epoch ahead, one probe alone, then ahead with a probe every five epochs.
    #expect(Array(ways[0..<4]) == Array(repeating: .ahead, count: 4))
    #expect(Array(ways[4..<8]) == Array(repeating: .alone, count: 4))
    let alone = ways[8...].filter { $0 == .alone }.count
    #expect(alone > 0 && alone <= ways[8...].count / 5)
  }

  @Test func itReadsAloneWhenReadingAheadIsSlower() {
    var chooser = ReadAheadChooser(epochRefills: 4, probeEvery: 5)
    var now: UInt64 = 1000
    let ways = run(&chooser, refills: 200, now: &now) { $0 == .ahead ? 300 : 200 }
    let ahead = ways[8...].filter { $0 == .ahead }.count
    #expect(ahead > 0 && ahead <= ways[8...].count / 5)
  }

  @Test func itFollowsTheMachineWhenItChanges() {
    var chooser = ReadAheadChooser(epochRefills: 4, probeEvery: 3)
    var now: UInt64 = 1000
    var ways = run(&chooser, refills: 100, now: &now) { $0 == .ahead ? 300 : 200 }
    #expect(ways.suffix(12).filter { $0 == .alone }.count >= 8)
    // The vCPUs moved: reading ahead became the faster way, and the next probe finds it.
    ways = run(&chooser, refills: 100, now: &now) { $0 == .ahead ? 100 : 200 }
    #expect(ways.suffix(50).filter { $0 == .ahead }.count >= 35)
  }

  @Test func readingAheadComesBackSoonAfterAPassingSlowdown() {
    var chooser = ReadAheadChooser(epochRefills: 4, probeEvery: 32)
    var now: UInt64 = 1000
    // The first epoch ahead is slow (the kernel writing back a burst of appends): reading
    // alone wins the second epoch.
    var ways = run(&chooser, refills: 8, now: &now) { $0 == .ahead ? 300 : 200 }
    #expect(ways == Array(repeating: .ahead, count: 4) + Array(repeating: .alone, count: 4))
    // It passed: reading ahead is tried again after one epoch alone and kept, long before
    // the 32 epochs between probes while reading ahead is preferred.
    ways = run(&chooser, refills: 40, now: &now) { $0 == .ahead ? 100 : 200 }
    #expect(ways.prefix(4).contains(.alone))
    #expect(ways.suffix(32) == Array(repeating: .ahead, count: 32))
  }

  @Test func whileReadingAheadStaysSlowerItIsTriedLessAndLessOften() {
    var chooser = ReadAheadChooser(epochRefills: 1, probeEvery: 16)
    var now: UInt64 = 1000
    let ways = run(&chooser, refills: 200, now: &now) { $0 == .ahead ? 300 : 200 }
    let probes = ways.indices.filter { $0 > 0 && ways[$0] == .ahead }
    // Epochs alone between tries of reading ahead: 2, 4, 8, then 16 from there on.
    let gaps = zip(probes, probes.dropFirst()).map { $1 - $0 - 1 }
    #expect(Array(gaps.prefix(5)) == [2, 4, 8, 16, 16])
  }

  @Test func aGainWithinTheNoiseChangesNothing() {
    var chooser = ReadAheadChooser(epochRefills: 4, probeEvery: 5)
    var now: UInt64 = 1000
    // Reading alone is 3 % faster: not enough to leave the way preferred first.
    let ways = run(&chooser, refills: 200, now: &now) { $0 == .ahead ? 100 : 97 }
    #expect(ways[8...].filter { $0 == .ahead }.count >= ways[8...].count * 3 / 4)
  }
}
