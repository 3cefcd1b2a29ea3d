import HeapModule
import MeshBytes

/// The records both sides of a stream-stream join hold: in slots reused as records leave
/// (no allocation per record; a record's fields stay in the join's columns, `row` says
/// where), each key's records per side chained oldest to
/// newest, and per side a heap of the records by the time they may leave. One dictionary
/// gives a key's id for both sides, so a record costs one lookup; a record leaves in
/// O(log n) without any. A key with no records left keeps its id until such keys
/// outnumber the others, when they are swept out at once (deleting from a dictionary per
/// record costs more than it saves).
struct StreamJoinState {
  struct Record {
    var time: Int64
    var sequence: Int64
    /// The record's row in its side's columns.
    var row: Int32
    var matched: Bool
    /// The key's id (-1: a null key, which matches nothing), and the key's next older
    /// and newer records on the same side (-1: none).
    var key: Int32
    var older: Int32
    var newer: Int32
  }

  private struct Expiring: Comparable {
    var time: Int64
    var sequence: Int64
    var slot: Int32
    static func < (a: Expiring, b: Expiring) -> Bool { (a.time, a.sequence) < (b.time, b.sequence) }
    static func == (a: Expiring, b: Expiring) -> Bool { a.sequence == b.sequence }
  }

  /// Per side (0 left, 1 right): the slots, the free ones, the heap.
  private(set) var records: [[Record]] = [[], []]
  private var freeSlots: [[Int32]] = [[], []]
  private var expiry = [Heap<Expiring>(), Heap<Expiring>()]
  private var ids = ByteStringTable()
  /// Per key id: the key, its records on both sides, and per side its oldest and newest
  /// record (-1: none).
  private var live: [Int32] = []
  private var oldest: [[Int32]] = [[], []]
  private var newest: [[Int32]] = [[], []]
  private var emptyKeys = 0

  /// Records held on `side`.
  func count(_ side: Int) -> Int { expiry[side].count }

  /// The id of `key`, made when it has none.
  mutating func id(of key: UnsafeRawBufferPointer) -> Int32 {
    let id = ids.index(of: key)
    if Int(id) == live.count {
      live.append(0)
      oldest[0].append(-1)
      oldest[1].append(-1)
      newest[0].append(-1)
      newest[1].append(-1)
      emptyKeys += 1
    }
    return id
  }

  mutating func id(of key: [UInt8]) -> Int32 { key.withUnsafeBytes { id(of: $0) } }

  /// The slot of key `id`'s oldest record on `side` (-1: none); `records[side][slot].newer`
  /// goes on.
  func oldestSlot(_ side: Int, of id: Int32) -> Int32 { oldest[side][Int(id)] }

  mutating func markMatched(_ side: Int, _ slot: Int32) { records[side][Int(slot)].matched = true }

  /// Holds a record on `side`, of key `id` (-1: a null key).
  mutating func insert(_ side: Int, id: Int32, time: Int64, sequence: Int64, row: Int32, matched: Bool) {
    let record = Record(
      time: time, sequence: sequence, row: row, matched: matched, key: id,
      older: id >= 0 ? newest[side][Int(id)] : -1, newer: -1)
    let slot: Int32
    if let reused = freeSlots[side].popLast() {
      slot = reused
      records[side][Int(slot)] = record
    } else {
      slot = Int32(records[side].count)
      records[side].append(record)
    }
    if id >= 0 {
      let key = Int(id)
      if newest[side][key] >= 0 {
        records[side][Int(newest[side][key])].newer = slot
      } else {
        oldest[side][key] = slot
      }
      newest[side][key] = slot
      if live[key] == 0 { emptyKeys -= 1 }
      live[key] += 1
    }
    expiry[side].insert(Expiring(time: time, sequence: sequence, slot: slot))
  }

  /// The time of the oldest record on `side`, if any.
  func oldestTime(_ side: Int) -> Int64? { expiry[side].min?.time }

  /// Takes out the oldest record of `side` (by time, then arrival).
  mutating func removeOldest(_ side: Int) -> Record? {
    guard let first = expiry[side].popMin() else { return nil }
    let slot = Int(first.slot)
    let record = records[side][slot]
    if record.key >= 0 {
      let key = Int(record.key)
      if record.older >= 0 {
        records[side][Int(record.older)].newer = record.newer
      } else {
        oldest[side][key] = record.newer
      }
      if record.newer >= 0 {
        records[side][Int(record.newer)].older = record.older
      } else {
        newest[side][key] = record.older
      }
      live[key] -= 1
      if live[key] == 0 { emptyKeys += 1 }
    }
    freeSlots[side].append(first.slot)
    if emptyKeys > max(4096, ids.count / 2) { sweepKeys() }
    return record
  }

  /// Forgets the keys without records, renumbering the others.
  private mutating func sweepKeys() {
    let live = self.live
    let renumbered = ids.keepOnly { live[Int($0)] > 0 }
    var keptLive: [Int32] = []
    var keptOldest: [[Int32]] = [[], []]
    var keptNewest: [[Int32]] = [[], []]
    for id in live.indices where live[id] > 0 {
      keptLive.append(live[id])
      for side in 0..<2 {
        keptOldest[side].append(oldest[side][id])
        keptNewest[side].append(newest[side][id])
      }
    }
    for side in 0..<2 {
      for slot in records[side].indices where records[side][slot].key >= 0 {
        records[side][slot].key = renumbered[Int(records[side][slot].key)]
      }
    }
    (self.live, oldest, newest, emptyKeys) = (keptLive, keptOldest, keptNewest, 0)
  }

  /// The rows of `side`'s records held, in no order.
  func heldRows(_ side: Int) -> [Int32] { expiry[side].unordered.map { records[side][Int($0.slot)].row } }

  /// Moves each held record of `side` to row `renumbered[row]` (its side's columns were
  /// compacted).
  mutating func renumberRows(_ side: Int, _ renumbered: [Int32]) {
    for held in expiry[side].unordered {
      let slot = Int(held.slot)
      records[side][slot].row = renumbered[Int(records[side][slot].row)]
    }
  }

  /// The records held on `side` with their keys, in arrival order: what a snapshot writes.
  func inArrivalOrder(_ side: Int) -> [(key: [UInt8]?, record: Record)] {
    expiry[side].unordered.map { held in
      let record = records[side][Int(held.slot)]
      return (record.key >= 0 ? ids.string(record.key) : nil, record)
    }.sorted { $0.record.sequence < $1.record.sequence }
  }
}
