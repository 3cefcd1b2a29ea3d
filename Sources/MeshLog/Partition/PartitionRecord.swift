import MeshBytes

/// `segments`: the durable record of what a partition holds, so that recovery can tell a
/// torn tail (truncated, as an unacknowledged append may be) from lost acknowledged data
/// (reported, never skipped silently, its offsets never handed out again).
///
/// A text file of `key=value` lines, rewritten atomically whenever the segment list
/// changes (roll, retention, compaction, clean close, repair), never per append:
///
/// ```
/// # meshc partition record; written by meshc, see docs/log.md
/// format=1
/// start=0                          # the log start offset (retention moves it)
/// acknowledged=1800                # every offset below was acknowledged once
/// sealed=0 180 4012                # base, end offset and size of each sealed segment
/// sealed=180 360 4012 cleaning=2100   # compaction is swapping in a copy of 2,100 bytes
/// active=360                       # the segment appends go to
/// lost=500 600 segment … was deleted # offsets known to be gone, for readers and describe
/// damaged=42 segment …: checksum mismatch …   # damage once found, kept after retention
/// crc=0x1a2b3c4d                   # CRC-32C of every line before this one
/// ```
///
/// `acknowledged` moves at rolls and clean closes; between them the high watermark
/// (`fsync=batch`) or the recovery point (`interval`, `none`) says how far appends got.
struct PartitionRecord: Hashable, Sendable {
  struct Sealed: Hashable, Sendable {
    var base: Offset
    var end: Offset
    var bytes: Int64
    /// The size of the compacted copy being swapped in, 0 when the segment is being
    /// removed by compaction; either the old or the new file is then whole.
    var cleaning: Int64?
  }

  /// Offsets that a reader cannot have: the reason says what happened to them.
  struct Lost: Hashable, Sendable {
    var offsets: Range<Offset>
    var reason: String
  }

  /// Damage once found in the partition's data, kept after retention removes it.
  struct Damaged: Hashable, Sendable {
    var offset: Offset
    var description: String
  }

  var start: Offset
  var acknowledged: Offset
  var sealed: [Sealed]
  var active: Offset
  var lost: [Lost]
  var damaged: [Damaged]

  static let fileName = "segments"
  static let format = 1
  /// Damage reports kept at most (the oldest go first), so that a log damaged again and
  /// again does not grow its record without bound.
  static let maxReports = 1000

  /// The record of a partition that holds nothing yet.
  static let empty = PartitionRecord(
    start: Offset(0), acknowledged: Offset(0), sealed: [], active: Offset(0), lost: [], damaged: [])

  mutating func noteDamage(_ damage: CorruptBatch) { noteReport(at: damage.offset, damage.description) }

  mutating func noteReport(at offset: Offset, _ description: String) {
    let report = Damaged(offset: offset, description: description)
    guard !damaged.contains(report) else { return }
    damaged.append(report)
    if damaged.count > PartitionRecord.maxReports { damaged.removeFirst(damaged.count - PartitionRecord.maxReports) }
  }

  /// Records lost offsets once: a later open that finds the same offsets lost (in other
  /// words) keeps the first report.
  mutating func noteLost(_ lost: Lost) {
    guard !self.lost.contains(where: { $0.offsets == lost.offsets }) else { return }
    self.lost.append(lost)
    self.lost.sort { $0.offsets.lowerBound < $1.offsets.lowerBound }
    if self.lost.count > PartitionRecord.maxReports {
      self.lost.removeFirst(self.lost.count - PartitionRecord.maxReports)
    }
  }

  func encoded() -> [UInt8] {
    var lines = [
      "# meshc partition record; written by meshc, see docs/log.md", "format=\(PartitionRecord.format)",
      "start=\(start)", "acknowledged=\(acknowledged)",
    ]
    for segment in sealed {
      lines.append(
        "sealed=\(segment.base) \(segment.end) \(segment.bytes)" + (segment.cleaning.map { " cleaning=\($0)" } ?? ""))
    }
    lines.append("active=\(active)")
    for range in lost {
      lines.append("lost=\(range.offsets.lowerBound) \(range.offsets.upperBound) \(oneLine(range.reason))")
    }
    for report in damaged { lines.append("damaged=\(report.offset) \(oneLine(report.description))") }
    let body = Array((lines.joined(separator: "\n") + "\n").utf8)
    let crc = body.withUnsafeBytes { CRC32C.checksum($0) }
    return body + Array("crc=0x\(hex(crc))\n".utf8)
  }

  /// Parses the file; the error says which line is wrong.
  static func decode(_ bytes: [UInt8]) -> Result<PartitionRecord, ConfigFileError> {
    guard let crcLine = lastLineStart(bytes) else {
      return .failure(ConfigFileError(line: 1, message: "the file ends without its 'crc=' line"))
    }
    let body = Array(bytes[..<crcLine])
    let lineCount = body.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    let stored = String(decoding: bytes[crcLine..<(bytes.count - 1)], as: UTF8.self)
    let computed = "crc=0x" + hex(body.withUnsafeBytes { CRC32C.checksum($0) })
    guard stored == computed else {
      return .failure(
        ConfigFileError(line: lineCount + 1, message: "checksum mismatch (stored '\(stored)', computed '\(computed)')"))
    }
    var record = PartitionRecord.empty
    var sawFormat = false
    var sawActive = false
    for (number, line) in String(decoding: body, as: UTF8.self).split(separator: "\n").enumerated() {
      if line.hasPrefix("#") { continue }
      let fail = { (message: String) in ConfigFileError(line: number + 1, message: message) }
      guard let equals = line.firstIndex(of: "=") else { return .failure(fail("expected 'key=value'")) }
      let key = line[..<equals]
      let words = line[line.index(after: equals)...].split(
        separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
      func offset(_ index: Int) -> Offset? {
        guard index < words.count, let value = Int64(words[index]), value >= 0 else { return nil }
        return Offset(value)
      }
      switch key {
      case "format":
        guard words.first == "\(PartitionRecord.format)" else { return .failure(fail("unsupported format")) }
        sawFormat = true
      case "start", "acknowledged", "active":
        guard let value = offset(0), words.count == 1 else { return .failure(fail("expected an offset")) }
        if key == "start" {
          record.start = value
        } else if key == "acknowledged" {
          record.acknowledged = value
        } else {
          record.active = value
          sawActive = true
        }
      case "sealed":
        guard let base = offset(0), let end = offset(1), let bytes = offset(2), base <= end,
          record.sealed.last.map({ $0.end <= base }) ?? true
        else { return .failure(fail("expected a base, an end offset and a size, after the segment before")) }
        var segment = Sealed(base: base, end: end, bytes: bytes.value, cleaning: nil)
        if words.count == 4 {
          guard words[3].hasPrefix("cleaning="), let size = Int64(words[3].dropFirst(9)), size >= 0 else {
            return .failure(fail("expected 'cleaning=SIZE'"))
          }
          segment.cleaning = size
        }
        record.sealed.append(segment)
      case "lost":
        guard let from = offset(0), let to = offset(1), from < to else {
          return .failure(fail("expected a range of offsets and a reason"))
        }
        record.lost.append(Lost(offsets: from..<to, reason: words.dropFirst(2).joined(separator: " ")))
      case "damaged":
        guard let at = offset(0) else { return .failure(fail("expected an offset and a description")) }
        record.damaged.append(Damaged(offset: at, description: words.dropFirst(1).joined(separator: " ")))
      default:
        continue  // a newer key: ignored, as in topic.conf
      }
    }
    guard sawFormat, sawActive else {
      return .failure(ConfigFileError(line: 1, message: "'format' or 'active' is missing"))
    }
    guard record.sealed.last.map({ $0.end <= record.active }) ?? true, record.start <= record.active,
      record.sealed.first.map({ record.start <= $0.base }) ?? true
    else { return .failure(ConfigFileError(line: 1, message: "the segments do not follow each other")) }
    return .success(record)
  }

  /// The byte where the last line starts (the file ends with a newline).
  private static func lastLineStart(_ bytes: [UInt8]) -> Int? {
    guard bytes.last == 0x0A, bytes.count >= 2 else { return nil }
    var index = bytes.count - 2
    while index >= 0, bytes[index] != 0x0A { index -= 1 }
    return index + 1
  }

  private func oneLine(_ text: String) -> String {
    String(text.map { $0.isNewline ? " " : $0 })
  }
}

private func hex(_ value: UInt32) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 8 - digits.count) + digits
}
