import Foundation
import FuzzHarness
import MeshTestSupport
import Testing

/// The expression parser, checker and evaluators on random and mutated text in every
/// run of the suite (the libFuzzer target goes further: scripts/fuzz.sh Expressions).
struct ExpressionMutationTests {
  static let pieces = [
    "(", ")", "'", "\"", ",", ".", "+", "-", "*", "/", "%", "||", "=", "<>", "<", ">=", "AND", "OR", "NOT", "IN", "IS",
    "NULL", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "AS", "BETWEEN", "LIKE", "TIMESTAMP", "DATE", "INTERVAL",
    "i", "l", "d", "m", "s", "b", "t", "day", "e", "r.c", "0", "-1", "9223372036854775807", "99999999999999999999",
    "1.5", "1h", "'x'", "'2026-01-01T00:00:00Z'", "count(*)", "upper(", "date_trunc('day',", "coalesce(",
    "decimal(30,2)",
    "\u{0}", "é", " ",
  ]

  @Test func mutatedAndRandomExpressionsGiveDiagnosticsNotCrashes() throws {
    var random = SeededRandom()
    let seeds = try FileManager.default.contentsOfDirectory(
      atPath: Fixtures.packageRoot.appendingPathComponent("Fuzz/Expressions/corpus").path
    ).sorted().compactMap {
      try? Data(contentsOf: Fixtures.packageRoot.appendingPathComponent("Fuzz/Expressions/corpus/\($0)"))
    }.map { [UInt8]($0) }
    #expect(!seeds.isEmpty)
    let rounds = SeededRandom.longTests ? 200_000 : 3_000
    for _ in 0..<rounds {
      var bytes: [UInt8]
      if random.next() % 4 == 0 {
        bytes = []
        for _ in 0..<(random.next() % 12) {
          bytes += Self.pieces[Int(random.next() % UInt64(Self.pieces.count))].utf8
          bytes.append(0x20)
        }
      } else {
        bytes = seeds[Int(random.next() % UInt64(seeds.count))]
        for _ in 0...(random.next() % 3) {
          let at = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
          switch random.next() % 4 {
          case 0: bytes.insert(contentsOf: Self.pieces[Int(random.next() % UInt64(Self.pieces.count))].utf8, at: at)
          case 1: if at < bytes.count { bytes.remove(at: at) }
          case 2: if at < bytes.count { bytes[at] ^= UInt8(truncatingIfNeeded: random.next()) }
          default: bytes = Array(bytes.prefix(at))
          }
        }
      }
      FuzzHarness.expressions(bytes)
    }
    print("expression mutations: \(rounds) inputs, seed \(random.seed)")
  }
}
