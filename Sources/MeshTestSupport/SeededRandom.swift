import Foundation

/// A deterministic generator for random tests. The seed comes from `MESHC_SEED` when
/// set, so a failure printed as "seed 1234" replays with `MESHC_SEED=1234 swift test`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  public let seed: UInt64
  private var state: UInt64

  public init(seed: UInt64? = nil) {
    let chosen =
      seed ?? ProcessInfo.processInfo.environment["MESHC_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 1...UInt64.max)
    self.seed = chosen
    self.state = chosen
  }

  // SplitMix64: tiny, fast and good enough for test inputs.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// True when long runs were asked for (`MESHC_LONG_TESTS=1`).
  public static var longTests: Bool {
    ProcessInfo.processInfo.environment["MESHC_LONG_TESTS"] == "1"
  }
}
