import MeshBytes

/// The records a side of a stream-stream join holds, by the time they may leave: sorted
/// runs, one per input batch (sorted once, as a whole; an input in time order needs no
/// sorting and extends the last run), so that records leave from the runs' fronts. A heap
/// cost a dozen or more scattered moves per record going in and out; here a record is
/// copied a few times. Adjacent runs are merged once the newer is at least half the
/// older's size, so there are about log₂ of the records held runs, however small the
/// batches.
struct ExpiryRuns {
  struct Entry {
    var time: Int64
    var sequence: Int64
    var slot: Int32

    /// Leaving order: by time, then arrival.
    static func before(_ a: Entry, _ b: Entry) -> Bool {
      a.time < b.time || (a.time == b.time && a.sequence < b.sequence)
    }
  }

  /// Entries from `head` on are held; those before it have left.
  private struct Run {
    var entries: [Entry]
    var head = 0
    var remaining: Int { entries.count - head }
  }

  private var runs: [Run] = []
  /// Entries appended since the last `seal`.
  private var pending: [Entry] = []
  private(set) var count = 0

  /// Holds `entry`; entries come in arrival order (rising sequence).
  mutating func append(_ entry: Entry) {
    pending.append(entry)
    count += 1
  }

  /// Makes the entries appended since the last call a run.
  mutating func seal() {
    guard !pending.isEmpty else { return }
    if !Self.isSorted(pending) { Self.sort(&pending) }
    if let last = runs.indices.last, let tail = runs[last].entries.last, runs[last].remaining > 0,
      !Entry.before(pending[0], tail)
    {
      runs[last].entries.append(contentsOf: pending)
      pending.removeAll(keepingCapacity: true)
    } else {
      runs.append(Run(entries: pending))
      pending = []
    }
    while runs.count >= 2, runs[runs.count - 1].remaining * 2 >= runs[runs.count - 2].remaining {
      let newer = runs.removeLast()
      runs[runs.count - 1] = Self.merged(runs[runs.count - 1], newer)
    }
  }

  private static func isSorted(_ entries: [Entry]) -> Bool {
    entries.withUnsafeBufferPointer { entries in
      for index in entries.indices.dropFirst() where Entry.before(entries[index], entries[index - 1]) {
        return false
      }
      return true
    }
  }

  /// Sorts entries that came in arrival order into leaving order: as integers — the time
  /// since the earliest above the position — by radix where the batch's times span few
  /// enough bits, several times faster than comparing entries; else by comparing.
  private static func sort(_ entries: inout [Entry]) {
    let positionBits = UInt64(Int.bitWidth - entries.count.leadingZeroBitCount)
    let earliest = entries.lazy.map(\.time).min() ?? 0
    let latest = entries.lazy.map(\.time).max() ?? 0
    let (span, overflow) = latest.subtractingReportingOverflow(earliest)
    guard !overflow, positionBits < 64, UInt64(span) < (1 as UInt64) << (64 - positionBits) else {
      entries.sort(by: Entry.before)
      return
    }
    var packed = entries.enumerated().map { position, entry in
      UInt64(entry.time &- earliest) << positionBits | UInt64(position)
    }
    RadixSort.sort(&packed, significantBits: Int(positionBits) + Int.bitWidth - span.leadingZeroBitCount)
    let mask = ((1 as UInt64) << positionBits) &- 1
    entries = packed.map { entries[Int($0 & mask)] }
  }

  private static func merged(_ a: Run, _ b: Run) -> Run {
    Run(entries: merged(a.entries[a.head...], b.entries[b.head...]))
  }

  /// Two runs' entries as one run, in leaving order.
  private static func merged(_ a: ArraySlice<Entry>, _ b: ArraySlice<Entry>) -> [Entry] {
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        [Entry](unsafeUninitializedCapacity: a.count + b.count) { out, initialized in
          var (i, j, k) = (0, 0, 0)
          while i < a.count, j < b.count {
            if Entry.before(b[j], a[i]) {
              out[k] = b[j]
              j += 1
            } else {
              out[k] = a[i]
              i += 1
            }
            k += 1
          }
          while i < a.count {
            out[k] = a[i]
            (i, k) = (i + 1, k + 1)
          }
          while j < b.count {
            out[k] = b[j]
            (j, k) = (j + 1, k + 1)
          }
          initialized = k
        }
      }
    }
  }

  /// Takes out the sealed entries whose time is before `limit`, in leaving order.
  mutating func removeAll(before limit: Int64) -> [Entry] {
    // Each run's leaving front, merged pairwise into one.
    var pieces: [[Entry]] = []
    for index in runs.indices {
      let start = runs[index].head
      var end = start
      runs[index].entries.withUnsafeBufferPointer { entries in
        while end < entries.count, entries[end].time < limit { end += 1 }
      }
      guard end > start else { continue }
      pieces.append(Array(runs[index].entries[start..<end]))
      runs[index].head = end
      // Fronts that have left are dropped once they are most of the run.
      if runs[index].head * 2 > runs[index].entries.count {
        runs[index].entries.removeFirst(runs[index].head)
        runs[index].head = 0
      }
    }
    while pieces.count > 1 {
      pieces = stride(from: 0, to: pieces.count, by: 2).map { index in
        index + 1 < pieces.count ? Self.merged(pieces[index][...], pieces[index + 1][...]) : pieces[index]
      }
    }
    let removed = pieces.first ?? []
    runs.removeAll { $0.remaining == 0 }
    count -= removed.count
    return removed
  }

  /// Every entry held, in no order.
  var unordered: [Entry] {
    var all = pending
    for run in runs { all.append(contentsOf: run.entries[run.head...]) }
    return all
  }
}
