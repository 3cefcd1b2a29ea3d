import Foundation
import MeshTestSupport
import Testing

@testable import MeshDriver

/// Real `kill -9` of a process appending with `fsync=batch`: after every kill the log is
/// recovered and must hold every acknowledged record byte for byte and no partial batch.
/// `meshc bench log soak --kills 1000` runs the same check longer.
@Suite struct LogCrashTests {
  @Test func killedAppendersLoseNothingAcknowledged() throws {
    var random = SeededRandom()
    print("LogCrashTests: seed \(random.seed)")
    let directory = try Fixtures.makeTemporaryDirectory("log-crash").path
    let kills = SeededRandom.longTests ? 200 : 20
    let result = MeshDriver.logCrashTest(
      executable: Fixtures.meshcBinary.path, directory: directory, kills: kills, seed: random.next())
    #expect(result.failures == [], "seed \(result.seed)")
    #expect(result.kills == kills)
    #expect(result.acknowledgedRecords > 0)
    #expect(result.recoveredRecords >= result.acknowledgedRecords)
  }
}
