import MeshDiagnostics

/// What one run of a product did, for the summary `meshc run` prints.
public struct RunSummary: Sendable, Equatable {
  public var product: String
  public var filesRead = 0
  public var recordsIn = 0
  public var recordsOut = 0
  public var deadLettered = 0
  public var failedChecks: [String: Int] = [:]
  public var dropped = 0
  public var warnings: [String] = []
  /// Damaged or lost upstream records the run stepped over (`skipsDamage`).
  public var skipped: [String] = []
  public var checkpoint: Int64 = 0
  /// Offset ranges of a crashed attempt that this run found and set aside.
  public var abortedRecords = 0
  /// Records that came after their window had been emitted (dropped).
  public var late = 0
  /// Steps whose keyed state has moved to RocksDB (past `--state-memory`).
  public var stateInRocksDB: [String] = []

  public init(product: String) { self.product = product }

  public var text: String {
    var line =
      "\(product): \(filesRead) file\(filesRead == 1 ? "" : "s"), \(recordsIn) records in, \(recordsOut) out, "
      + "\(deadLettered) dead-lettered"
    if dropped > 0 { line += ", \(dropped) dropped (duplicates and quality rules)" }
    if late > 0 { line += ", \(late) late" }
    for (rule, count) in failedChecks.sorted(by: { $0.key < $1.key }) { line += ", \(count) failed \(rule)" }
    if abortedRecords > 0 { line += ", \(abortedRecords) uncommitted records of a crashed run set aside" }
    if !stateInRocksDB.isEmpty { line += ", state of \(stateInRocksDB.joined(separator: ", ")) in RocksDB" }
    return line + " (checkpoint \(checkpoint))"
  }

  /// The same as a JSON object, for `--format json`.
  public var json: String {
    var out = JSONWriter()
    out.beginObject()
    out.key("product")
    out.string(product)
    for (key, value) in [
      ("files", filesRead), ("recordsIn", recordsIn), ("recordsOut", recordsOut), ("deadLettered", deadLettered),
      ("dropped", dropped), ("late", late), ("abortedRecords", abortedRecords),
    ] {
      out.key(key)
      out.number(value)
    }
    out.key("failedChecks")
    out.beginObject()
    for (rule, count) in failedChecks.sorted(by: { $0.key < $1.key }) {
      out.key(rule)
      out.number(count)
    }
    out.endObject()
    out.key("stateInRocksDB")
    out.beginArray()
    for step in stateInRocksDB { out.string(step) }
    out.endArray()
    out.key("checkpoint")
    out.number(checkpoint)
    out.endObject()
    return String(decoding: out.bytes, as: UTF8.self)
  }
}
