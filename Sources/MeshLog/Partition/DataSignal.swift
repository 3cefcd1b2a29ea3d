#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Wakes readers that follow a partition when its writer publishes new data, so that
/// follow mode waits without polling. A generation number counts publications; a
/// reader remembers the generation it last saw and sleeps until it changes (or its
/// timeout passes, which bounds the wait when the writer is another process).
///
/// Thread-safe: `@unchecked Sendable` because the pthread mutex guards `generation`
/// and the condition; the pointers are allocated once and freed in `deinit`.
final class DataSignal: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>
  private var generation: UInt64 = 0

  init() {
    mutex = .allocate(capacity: 1)
    condition = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    #if os(Linux)
      pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    #endif
    pthread_cond_init(condition, &attributes)
    pthread_condattr_destroy(&attributes)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
    condition.deallocate()
  }

  var current: UInt64 {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return generation
  }

  /// Called by the writer after it publishes a snapshot.
  func publish() {
    pthread_mutex_lock(mutex)
    generation &+= 1
    pthread_cond_broadcast(condition)
    pthread_mutex_unlock(mutex)
  }

  /// Like `wait(after:milliseconds:)`, but first yields the CPU up to `yields` times,
  /// watching the generation: for a publication expected within microseconds, since
  /// waking a sleeper costs the publisher a system call, while yielding (rather than
  /// spinning) still lets the publisher run if both share a CPU.
  @discardableResult
  func wait(after seen: UInt64, yieldingFirst yields: Int, milliseconds: Int64) -> UInt64 {
    for _ in 0..<yields {
      let now = current
      if now != seen { return now }
      sched_yield()
    }
    return wait(after: seen, milliseconds: milliseconds)
  }

  /// Waits until the generation differs from `seen` or `milliseconds` pass. Returns the
  /// generation at wake-up.
  @discardableResult
  func wait(after seen: UInt64, milliseconds: Int64) -> UInt64 {
    var deadline = timespec()
    #if os(Linux)
      clock_gettime(CLOCK_MONOTONIC, &deadline)
    #else
      clock_gettime(CLOCK_REALTIME, &deadline)
    #endif
    let total = Int64(deadline.tv_nsec) + (milliseconds % 1000) * 1_000_000
    deadline.tv_sec += Int(milliseconds / 1000) + Int(total / 1_000_000_000)
    deadline.tv_nsec = Int(total % 1_000_000_000)
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    while generation == seen {
      if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
    }
    return generation
  }
}
