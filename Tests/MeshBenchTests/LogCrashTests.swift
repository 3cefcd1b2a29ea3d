import Foundation
import MeshTestSupport
import Testing

@testable import MeshBench

/// Real `kill -9` of a process appending under `fsync=batch` and under `fsync=interval`
/// (with its background syncs): after every kill the log is recovered and must hold every
/// acknowledged record byte for byte and no partial batch. `meshc bench log soak --kills
/// 1000 [--fsync interval]` runs the same check longer.
@Suite struct LogCrashTests {
  @Test(arguments: CrashTestFsync.allCases)
  func killedAppendersLoseNothingAcknowledged(fsync: CrashTestFsync) throws {
    var random = SeededRandom()
    print("LogCrashTests \(fsync): seed \(random.seed)")
    let directory = try Fixtures.makeTemporaryDirectory("log-crash").path
    let kills = SeededRandom.longTests ? 200 : 20
    let result = Benchmarks.logCrashTest(
      executable: Fixtures.meshcBinary.path, directory: directory, kills: kills, seed: random.next(), fsync: fsync)
    #expect(result.failures == [], "seed \(result.seed)")
    #expect(result.kills == kills)
    #expect(result.acknowledgedRecords > 0)
    #expect(result.recoveredRecords >= result.acknowledgedRecords)
  }
}
