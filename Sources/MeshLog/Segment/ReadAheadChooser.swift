/// Decides, by measuring, whether a reader gains from reading ahead on a helper thread.
/// Handing bytes from one CPU to another is cheap on most machines, but not on all: on
/// the project's 2-vCPU VM a cache line's round trip between the two vCPUs takes 120 ns
/// in some minutes and 450–620 ns in others (the host moves the vCPUs between core
/// complexes), and in the slow minutes reading ahead is slower than reading alone.
///
/// Reads are measured in epochs of `epochRefills` refills: the preferred way runs, and
/// every so often the other way gets one epoch, and becomes the preferred way if it moved
/// more than 5 % more bytes a second. The first epoch reads ahead, the second alone.
/// While reading ahead is preferred, reading alone is tried every `probeEvery` epochs.
/// While reading alone is preferred, reading ahead is tried again after one epoch, then
/// after two, four, … up to `probeEvery`: what makes reading ahead slower often passes
/// within milliseconds (a reader that starts right after a burst of appends, while the
/// kernel writes the pages back, measured its first epoch ahead slower and read 274 MB
/// alone in 52–54 ms where reading ahead later took 29–31 ms).
struct ReadAheadChooser {
  enum Way: Equatable {
    case ahead
    case alone
  }

  /// How the next refills should read.
  private(set) var way = Way.ahead
  private var preferred = Way.ahead
  private var aheadRate: Double?
  private var aloneRate: Double?
  private var epochStart: UInt64?
  private var refills = 0
  private var bytes = 0
  private var epochsSinceProbe = 0
  /// Epochs between probes of reading ahead while reading alone is preferred.
  private var aheadProbeInterval = 1
  let epochRefills: Int
  let probeEvery: Int

  init(epochRefills: Int = 128, probeEvery: Int = 32) {
    self.epochRefills = max(1, epochRefills)
    self.probeEvery = max(1, probeEvery)
  }

  /// Records a refill of `count` bytes that ended at `now` (nanoseconds, monotonic);
  /// returns the way for the refills that follow.
  mutating func refilled(bytes count: Int, at now: UInt64) -> Way {
    guard let start = epochStart else {
      epochStart = now
      return way
    }
    refills += 1
    bytes += count
    guard refills >= epochRefills else { return way }
    let measured = Double(bytes) / Double(max(1, now &- start))
    if way == .ahead { aheadRate = measured } else { aloneRate = measured }
    refills = 0
    bytes = 0
    epochStart = now
    if way == preferred {
      epochsSinceProbe += 1
      let interval = way == .ahead ? probeEvery : aheadProbeInterval
      if rate(of: other(way)) == nil || epochsSinceProbe >= interval {
        epochsSinceProbe = 0
        way = other(way)
      }
    } else {
      // A probe ended: keep the faster way, changing only for a clear gain (5 %), since
      // an epoch's figure is noisy.
      if let probed = rate(of: way), let kept = rate(of: preferred), probed > kept * 1.05 {
        preferred = way
        aheadProbeInterval = 1
      } else if way == .ahead {
        aheadProbeInterval = min(aheadProbeInterval * 2, probeEvery)
      }
      way = preferred
    }
    return way
  }

  private func rate(of way: Way) -> Double? { way == .ahead ? aheadRate : aloneRate }
  private func other(_ way: Way) -> Way { way == .ahead ? .alone : .ahead }
}
