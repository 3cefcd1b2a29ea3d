import MeshBytes

/// The records both sides of a stream-stream join hold: in slots reused as records leave
/// (no allocation per record; a record's fields stay in the join's columns, `row` says
/// where), each key's records per side chained oldest to newest, and per side the records
/// by the time they may leave (`ExpiryRuns`). One table gives a key's id for both sides,
/// so a record costs one lookup; a record leaves without any. A key with no records left
/// keeps its id until such keys outnumber the others, when they are swept out at once
/// (deleting from a table per record costs more than it saves). Both sides share one
/// array of slots and one of keys, so that the record loop touches few arrays.
struct StreamJoinState {
  struct Record {
    var time: Int64
    /// The record's row in its side's columns.
    var row: Int32
    var matched: Bool
    /// The key's id (-1: a null key, which matches nothing), and the key's next older
    /// and newer records on the same side (-1: none).
    var key: Int32
    var older: Int32
    var newer: Int32
  }

  /// A key's records held on both sides, and per side its oldest and newest (-1: none).
  private struct Chains {
    var held: Int32 = 0
    var oldest: (left: Int32, right: Int32) = (-1, -1)
    var newest: (left: Int32, right: Int32) = (-1, -1)

    func oldest(_ side: Int) -> Int32 { side == 0 ? oldest.left : oldest.right }
    func newest(_ side: Int) -> Int32 { side == 0 ? newest.left : newest.right }
    mutating func setOldest(_ side: Int, _ slot: Int32) {
      if side == 0 { oldest.left = slot } else { oldest.right = slot }
    }
    mutating func setNewest(_ side: Int, _ slot: Int32) {
      if side == 0 { newest.left = slot } else { newest.right = slot }
    }
  }

  /// The slots of both sides, and the free ones.
  private(set) var records: [Record] = []
  private var freeSlots: [Int32] = []
  /// Per side (0 left, 1 right): the records by leaving time.
  private var expiry = [ExpiryRuns(), ExpiryRuns()]
  private var ids = ByteStringTable()
  /// Per key id.
  private var chains: [Chains] = []
  private var emptyKeys = 0

  /// Records held on `side`.
  func count(_ side: Int) -> Int { expiry[side].count }

  /// The id of `key`, made when it has none.
  mutating func id(of key: UnsafeRawBufferPointer) -> Int32 {
    let id = ids.index(of: key)
    if Int(id) == chains.count {
      chains.append(Chains())
      emptyKeys += 1
    }
    return id
  }

  mutating func id(of key: [UInt8]) -> Int32 { key.withUnsafeBytes { id(of: $0) } }

  /// The slot of key `id`'s oldest record on `side` (-1: none); `records[slot].newer`
  /// goes on.
  func oldestSlot(_ side: Int, of id: Int32) -> Int32 { chains[Int(id)].oldest(side) }

  mutating func markMatched(_ slot: Int32) { records[Int(slot)].matched = true }

  /// Holds a record on `side`, of key `id` (-1: a null key), that came as `sequence`th;
  /// `seal` ends a batch of them.
  mutating func insert(_ side: Int, id: Int32, time: Int64, sequence: Int64, row: Int32, matched: Bool) {
    let record = Record(
      time: time, row: row, matched: matched, key: id, older: id >= 0 ? chains[Int(id)].newest(side) : -1, newer: -1)
    let slot: Int32
    if let reused = freeSlots.popLast() {
      slot = reused
      records[Int(slot)] = record
    } else {
      slot = Int32(records.count)
      records.append(record)
    }
    if id >= 0 {
      let key = Int(id)
      let newest = chains[key].newest(side)
      if newest >= 0 {
        records[Int(newest)].newer = slot
      } else {
        chains[key].setOldest(side, slot)
      }
      chains[key].setNewest(side, slot)
      if chains[key].held == 0 { emptyKeys -= 1 }
      chains[key].held += 1
    }
    expiry[side].append(ExpiryRuns.Entry(time: time, sequence: sequence, slot: slot))
  }

  /// The records inserted on `side` since the last call may leave from now on.
  mutating func seal(_ side: Int) { expiry[side].seal() }

  /// Takes out the records of `side` whose time is before `limit` (by time, then
  /// arrival).
  mutating func removeAll(_ side: Int, before limit: Int64) -> [Record] {
    let leaving = expiry[side].removeAll(before: limit)
    guard !leaving.isEmpty else { return [] }
    var removed: [Record] = []
    removed.reserveCapacity(leaving.count)
    for entry in leaving { removed.append(remove(side, slot: Int(entry.slot))) }
    if emptyKeys > max(4096, ids.count / 2) { sweepKeys() }
    return removed
  }

  private mutating func remove(_ side: Int, slot: Int) -> Record {
    let record = records[slot]
    if record.key >= 0 {
      let key = Int(record.key)
      if record.older >= 0 {
        records[Int(record.older)].newer = record.newer
      } else {
        chains[key].setOldest(side, record.newer)
      }
      if record.newer >= 0 {
        records[Int(record.newer)].older = record.older
      } else {
        chains[key].setNewest(side, record.older)
      }
      chains[key].held -= 1
      if chains[key].held == 0 { emptyKeys += 1 }
    }
    freeSlots.append(Int32(slot))
    return record
  }

  /// Forgets the keys without records, renumbering the others.
  private mutating func sweepKeys() {
    let chains = self.chains
    let renumbered = ids.keepOnly { chains[Int($0)].held > 0 }
    self.chains = chains.filter { $0.held > 0 }
    // Free slots are renumbered too, harmlessly: a slot's key is set again when it is reused.
    for slot in records.indices where records[slot].key >= 0 {
      records[slot].key = renumbered[Int(records[slot].key)]
    }
    emptyKeys = 0
  }

  /// The rows of `side`'s records held, in no order.
  func heldRows(_ side: Int) -> [Int32] { expiry[side].unordered.map { records[Int($0.slot)].row } }

  /// Moves each held record of `side` to row `renumbered[row]` (its side's columns were
  /// compacted).
  mutating func renumberRows(_ side: Int, _ renumbered: [Int32]) {
    for held in expiry[side].unordered {
      let slot = Int(held.slot)
      records[slot].row = renumbered[Int(records[slot].row)]
    }
  }

  /// The records held on `side` with their keys and arrival numbers, in arrival order:
  /// what a snapshot writes.
  func inArrivalOrder(_ side: Int) -> [(key: [UInt8]?, sequence: Int64, record: Record)] {
    expiry[side].unordered.sorted { $0.sequence < $1.sequence }.map { held in
      let record = records[Int(held.slot)]
      return (record.key >= 0 ? ids.string(record.key) : nil, held.sequence, record)
    }
  }
}
