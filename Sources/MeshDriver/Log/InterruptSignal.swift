import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ctrl-C (SIGINT) and SIGTERM as a flag that long-running log commands check between
/// batches, so that `consume --follow` stops cleanly and commits its group's offsets
/// instead of dying mid-way. SIGPIPE is ignored so that a closed output pipe shows up as
/// a failed write (and a clean stop) rather than killing the process.
enum InterruptSignal {
  /// Set from the signal handler: an atomic store is async-signal-safe.
  static let raised = Atomic<Bool>(false)

  static var isRaised: Bool { raised.load(ordering: .relaxed) }

  static func install() {
    signal(SIGINT) { _ in InterruptSignal.raised.store(true, ordering: .relaxed) }
    signal(SIGTERM) { _ in InterruptSignal.raised.store(true, ordering: .relaxed) }
    signal(SIGPIPE, SIG_IGN)
    // A parent may have started us with these signals blocked (test runners do); a
    // blocked Ctrl-C would never reach the handler.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGINT)
    sigaddset(&unblock, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
  }
}
