public import MeshLog
import Synchronization

/// A `LogClock` that moves only when a test says so, for retention, rolling by age and
/// tombstone expiry. Thread-safe.
public final class ManualClock: LogClock {
  private let milliseconds: Mutex<Int64>

  public init(_ start: Int64 = 1_700_000_000_000) { milliseconds = Mutex(start) }

  public func now() -> Int64 { milliseconds.withLock { $0 } }

  public func advance(by delta: Int64) { milliseconds.withLock { $0 += delta } }
}
