#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the log gets the time: record timestamps for records without one, time-based
/// retention, segment rolling by age and tombstone expiry. Tests substitute a manual clock.
public protocol LogClock: Sendable {
  /// Milliseconds since the Unix epoch.
  func now() -> Int64
}

/// The wall clock.
public struct SystemClock: LogClock {
  public init() {}

  public func now() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
  }
}

/// Monotonic time for intervals (fsync interval, follow-mode waits) and measurements: never jumps
/// when the wall clock is set.
public enum MonotonicClock {
  public static func milliseconds() -> Int64 { Int64(nanoseconds() / 1_000_000) }

  public static func nanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
  }
}
