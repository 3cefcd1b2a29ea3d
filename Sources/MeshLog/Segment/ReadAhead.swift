import Foundation
import Synchronization

/// Reads a segment file ahead of a sequential scanner on a helper thread, so that the
/// copy out of the page cache — as costly as checksumming and decoding together —
/// overlaps the work on the batches before (Kafka's consumer fetches ahead for the same
/// reason).
///
/// The helper only reads: every byte it loads is checked by the scanner as if the scanner
/// had read it itself. It uses batch lengths only as hints to cut its reads where
/// `ReadBuffer`'s own refills would be cut (whole batches plus the next header), so that
/// a window it hands over is exactly the scanner's next refill, or for a large batch its
/// first part, which the scanner completes (`CopyShare`); a length that makes no sense,
/// a short read or an error just leave it idle, and the scanner's own read then meets the
/// damage or the error and reports it.
///
/// Thread-safety: the plan and the windows are under one `Mutex`; `DataSignal`s wake the
/// helper (work to do) and the scanner (a window is ready). Either thread, when it has to
/// wait, first yields the CPU a few times, watching the signal, before it sleeps: what it
/// waits for is usually microseconds away, and waking a sleeper costs the other thread a
/// system call (a reader that handed back a window woke the sleeping helper about once in
/// ten batches). Yielding rather than spinning lets the other thread run when both share
/// a CPU.
final class ReadAhead: @unchecked Sendable {
  /// Memory holding the file's bytes from `start`. `@unchecked Sendable`: one party at a
  /// time owns it (the scanner, the helper's read, or the state under the lock), and it
  /// changes hands only through the lock.
  struct Window: @unchecked Sendable {
    var base: UnsafeMutableRawPointer
    var capacity: Int
    var start: Int64 = 0
    var count = 0
    /// Where the window's bytes end once the reader has copied its share: `count` when
    /// the helper copied everything (see `CopyShare`).
    var planned = 0

    init(capacity: Int) {
      self.capacity = capacity
      base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    func free() { base.deallocate() }

    /// Makes room for `needed` bytes with the last `kept` loaded bytes at the front:
    /// new memory for a larger batch, or to give back what a huge batch took once
    /// batches are small again (`usual` is the size of an ordinary refill).
    mutating func prepare(toHold needed: Int, usual: Int, keepingLast kept: Int) {
      let from = base + (count - kept)
      if needed > capacity || capacity > max(needed, usual) * 16 {
        let fresh = Window(capacity: max(needed, usual))
        if kept > 0 { fresh.base.copyMemory(from: from, byteCount: kept) }
        free()
        base = fresh.base
        capacity = fresh.capacity
      } else if kept > 0 {
        base.copyMemory(from: from, byteCount: kept)
      }
      count = kept
    }

    /// Reads the file's bytes from `count` up to `end` into the window, which has room
    /// for them; a short read leaves it shorter, for the scanner to find.
    mutating func load(upTo end: Int, from io: any FileIO, _ handle: IOHandle) throws(FileIOError) {
      guard end > count else { return }
      count += try io.readFully(
        handle, into: UnsafeMutableRawBufferPointer(start: base + count, count: end - count), at: start + Int64(count))
    }
  }

  private struct Target: Sendable {
    let io: any FileIO
    let handle: IOHandle
  }

  /// A read the helper has taken on.
  private struct Job: Sendable {
    let target: Target
    let start: Int64
    let length: Int
    /// The bytes the helper copies, from `start`; the reader copies the rest of `length`.
    let part: Int
    /// How far the file was committed when the job was planned.
    let limit: Int64
    let generation: UInt64
    var window: Window
  }

  private struct State {
    var target: Target?
    /// Bumped whenever the plan changes, so that a read begun under an old plan is dropped.
    var generation: UInt64 = 0
    /// Where the next read starts and how much it takes; nil when there is nothing to predict.
    var next: Int64?
    var nextLength = 0
    var limit: Int64 = 0
    /// Filled windows in file order, and the start of the read in flight.
    var ready: [Window] = []
    var inFlight: Int64?
    var spare: [Window] = []
    var stopped = false
    var share: CopyShare
    /// The helper's smallest share so far (tests watch it: the share at the end depends on
    /// how the two threads were scheduled).
    var smallestShare: Int = CopyShare.whole
  }

  private let state: Mutex<State>
  private let windowReady = DataSignal()
  private let work = DataSignal()
  private let minimumRead: Int
  private let lookahead: Int
  /// Windows filled ahead of the one the scanner holds.
  private let depth = 4
  /// How often either thread yields, watching for the other, before it sleeps (about
  /// 50–100 µs here, a few batches).
  private let yieldsBeforeSleeping = 200

  init(minimumRead: Int, lookahead: Int, share: CopyShare = CopyShare()) {
    self.minimumRead = minimumRead
    self.lookahead = lookahead
    state = Mutex(State(share: share))
    state.withLock { [depth] state in
      // One per ready slot and one for the read in flight; the scanner's own buffer
      // joins them at its first swap.
      state.spare = (0...depth).map { _ in Window(capacity: minimumRead + lookahead) }
    }
    Thread.detachNewThread { [self] in
      Thread.current.name = "meshc read-ahead"
      run()
    }
  }

  deinit {
    state.withLock { state in
      for window in state.ready + state.spare { window.free() }
    }
  }

  var share: CopyShare { state.withLock { $0.share } }

  var smallestShare: Int { state.withLock { $0.smallestShare } }

  /// Ends the helper thread once any read in flight is over.
  func stop() {
    state.withLock { $0.stopped = true }
    work.publish()
    waitForNoRead()
  }

  /// Forgets the file: after this returns, the helper neither reads nor will read it,
  /// so that its descriptor may be closed.
  func detach() {
    state.withLock { state in
      state.target = nil
      state.next = nil
      state.generation &+= 1
      state.spare += state.ready
      state.ready.removeAll()
    }
    waitForNoRead()
  }

  /// Plans reads from the first batch that `loaded` (bytes of the file from `start`)
  /// does not hold whole, up to `limit`.
  func resume(
    io: any FileIO, handle: IOHandle, after loaded: UnsafeRawBufferPointer, from start: Int64, limit: Int64
  ) {
    let plan = nextRead(after: loaded, from: start)
    state.withLock { state in
      state.target = Target(io: io, handle: handle)
      state.generation &+= 1
      state.spare += state.ready
      state.ready.removeAll()
      state.next = plan?.start
      state.nextLength = plan?.length ?? 0
      state.limit = limit
    }
    work.publish()
  }

  /// A window of `handle`'s file starting at `position` that will hold at least `wanted`
  /// bytes (fewer only where the file or `limit` ends) once the caller has copied its
  /// share (from `count` up to `planned`), in exchange for `giving`, the caller's
  /// memory; waits when the helper is reading it. Nil when the helper has not planned
  /// that read, and `giving` stays the caller's.
  func take(
    at position: Int64, count wanted: Int, limit: Int64, handle: IOHandle, giving: Window
  ) -> Window? {
    var waited = false
    while true {
      let signalSeen = windowReady.current
      enum Outcome {
        case window(Window)
        case wait
        case none
      }
      let (outcome, wake) = state.withLock { state -> (Outcome, Bool) in
        guard state.target?.handle == handle else { return (.none, false) }
        var wake = false
        if limit > state.limit {
          state.limit = limit
          wake = true
        }
        // Windows elsewhere are of no use any more: the scanner went back or elsewhere.
        while let first = state.ready.first, first.start != position {
          state.spare.append(state.ready.removeFirst())
          wake = true
        }
        if let first = state.ready.first {
          state.ready.removeFirst()
          if waited {
            state.share.readerWaited()
            state.smallestShare = min(state.smallestShare, state.share.sixtyFourths)
          }
          guard first.planned >= wanted || first.start + Int64(first.planned) >= limit else {
            // Shorter than wanted (the file ended early): the caller reads for itself.
            state.spare.append(first)
            return (.none, true)
          }
          state.spare.append(giving)
          return (.window(first), true)
        }
        let coming = state.inFlight == position || (state.next == position && position < state.limit)
        return (coming ? .wait : .none, wake)
      }
      if wake { work.publish() }
      switch outcome {
      case .window(let window): return window
      case .none: return nil
      case .wait:
        waited = true
        windowReady.wait(after: signalSeen, yieldingFirst: yieldsBeforeSleeping, milliseconds: 100)
      }
    }
  }

  // MARK: The helper thread

  private func run() {
    while true {
      let seen = work.current
      enum Step {
        case read(Job)
        case idle
        case stop
      }
      let step = state.withLock { state -> Step in
        if state.stopped { return .stop }
        guard let target = state.target, let start = state.next, start < state.limit else { return .idle }
        guard state.ready.count < depth, !state.spare.isEmpty else {
          state.share.helperWaited()
          return .idle
        }
        // The window the scanner gave back longest ago: the one it just read is still in
        // its CPU's cache, and writing there would first have to take the lines back.
        let window = state.spare.removeFirst()
        state.inFlight = start
        state.next = nil
        let length = Int(min(Int64(state.nextLength), state.limit - start))
        // Only a read of one batch or more is shared: the helper must see the length of
        // the batch it starts, to know where the next read starts.
        let part = length >= minimumRead ? state.share.helperBytes(of: length) : length
        return .read(
          Job(
            target: target, start: start, length: length, part: part, limit: state.limit,
            generation: state.generation, window: window))
      }
      switch step {
      case .stop: return
      case .idle: work.wait(after: seen, yieldingFirst: yieldsBeforeSleeping, milliseconds: 1000)
      case .read(var job): perform(&job)
      }
    }
  }

  private func perform(_ job: inout Job) {
    job.window.prepare(toHold: job.length, usual: minimumRead + lookahead, keepingLast: 0)
    job.window.start = job.start
    job.window.count = 0
    var plan: (start: Int64, length: Int)?
    if read(&job, upTo: job.part), job.part < job.length,
      let size = BatchHeader.size(framedBy: UnsafeRawBufferPointer(start: job.window.base, count: job.part)),
      BatchHeader.isPlausible(size: size), size + lookahead >= max(minimumRead, job.part),
      Int64(size) <= job.limit - job.start
    {
      // One batch and the next header, which the reader completes; the next batch starts
      // after it, and is probably as long (the next read's length is only a guess, so
      // the window may have to grow here).
      let planned = Int(min(Int64(size + lookahead), job.limit - job.start))
      if planned > job.window.capacity {
        job.window.prepare(toHold: planned, usual: minimumRead + lookahead, keepingLast: job.window.count)
      }
      job.window.planned = planned
      plan = (job.start + Int64(size), size + lookahead)
    } else {
      // Anything else (small batches, a short read, damage) the helper reads whole, as
      // it would without a share.
      _ = read(&job, upTo: job.length)
      job.window.planned = job.window.count
      plan = nextRead(after: UnsafeRawBufferPointer(start: job.window.base, count: job.window.count), from: job.start)
    }
    let finished = job
    state.withLock { state in
      state.inFlight = nil
      guard state.generation == finished.generation, let plan, plan.start > finished.start else {
        // An old plan, or nothing whole in it (a short file, damage): wait for the scanner.
        state.spare.append(finished.window)
        return
      }
      state.ready.append(finished.window)
      state.next = plan.start
      state.nextLength = plan.length
    }
    windowReady.publish()
  }

  /// Loads the job's window up to `end`; whether all came (an error is the scanner's to
  /// meet when it reads there itself).
  private func read(_ job: inout Job, upTo end: Int) -> Bool {
    do throws(FileIOError) {
      try job.window.load(upTo: end, from: job.target.io, job.target.handle)
    } catch {
      return false
    }
    return job.window.count == end
  }

  /// Waits for the read in flight, if any, to end (`perform` signals when it does).
  private func waitForNoRead() {
    while true {
      let seen = windowReady.current
      if state.withLock({ $0.inFlight == nil }) { return }
      windowReady.wait(after: seen, milliseconds: 10)
    }
  }

  /// Where the first batch not wholly in `bytes` (the file's bytes from `start`) starts,
  /// and how much to read from there: the batch and the next header when its length is
  /// visible, else `minimumRead`. Nil at a length no batch can have.
  private func nextRead(after bytes: UnsafeRawBufferPointer, from start: Int64) -> (start: Int64, length: Int)? {
    var at = 0
    while at + BatchFormat.frameSize <= bytes.count {
      guard let size = BatchHeader.size(framedBy: UnsafeRawBufferPointer(rebasing: bytes[at...])),
        BatchHeader.isPlausible(size: size)
      else { return nil }
      if at + size > bytes.count { return (start + Int64(at), max(size + lookahead, minimumRead)) }
      at += size
    }
    return (start + Int64(at), minimumRead)
  }
}
