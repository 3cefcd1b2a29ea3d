import MeshBytes
import MeshLog
import MeshTestSupport

extension FuzzHarness {
  /// A segment file made of the input, read by the log as a reader would and recovered
  /// as a writer would: a diagnostic or records, never a crash or a hang.
  ///
  /// The first byte chooses the shape. Even: the bytes as they are (mostly refused by the
  /// checksum). Odd: batches framed from the input with correct lengths and checksums
  /// and version 1, so that any header field and any record bytes reach the decoder.
  @Sendable public static func logBatch(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    var body = Array(bytes.dropFirst())
    // Bit 1: a length byte, then that many pairs of bytes become the partition record.
    var partitionRecord: [UInt8]?
    if mode & 2 != 0, let length = body.first {
      let count = min(Int(length) * 2, body.count - 1)
      partitionRecord = Array(body[1..<1 + count])
      body = Array(body[(1 + count)...])
    }
    let segment = mode & 1 == 0 ? body : framedBatches(body)
    let io = SimulatedFileIO(random: SeededRandom(seed: 1))
    do {
      try io.createDirectory("/data")
      try io.createDirectory("/data/topics")
      try io.createDirectory("/data/topics/t")
      try io.writeAtomically(Array("format=1\npartitions=1\n".utf8), to: "/data/topics/t/topic.conf")
      try io.createDirectory("/data/topics/t/0")
      try io.writeAtomically(segment, to: "/data/topics/t/0/00000000000000000000.log")
      if let partitionRecord { try io.writeAtomically(partitionRecord, to: "/data/topics/t/0/segments") }
    } catch {
      violated("the simulated file system refused a fixture: \(error)")
    }
    for writable in [false, true] {
      guard let log = try? Log.open(directory: "/data", writable: writable, io: io),
        let partition = try? log.topic("t").partition(0)
      else { continue }
      readEverything(partition)
      if writable {
        _ = try? partition.append([Record(key: Array("k".utf8), value: Array("v".utf8))])
        readEverything(partition)
      }
      try? log.close()
    }
  }

  /// Reads every record; a read that makes no progress twice in a row would spin.
  static func readEverything(_ partition: Partition) {
    guard let reader = try? partition.reader(from: partition.snapshot().startOffset, clamp: true) else { return }
    var reads = 0
    while let records = try? reader.read(maxRecords: 64), !records.isEmpty {
      reads += 1
      if reads > 100_000 { violated("a reader keeps returning records from a tiny segment") }
    }
    _ = try? partition.reader(fromTimestamp: 0).read(maxRecords: 64)
  }

  /// Cuts the input into batches: a length byte, then that many bytes become the batch's
  /// header fields (after the version) and records; lengths and checksum are made right.
  static func framedBatches(_ input: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var index = 0
    while index < input.count {
      let count = Int(input[index]) * 4
      index += 1
      let piece = Array(input[index..<min(input.count, index + count)])
      index += piece.count
      var batchBody: [UInt8] = [1] + piece
      if batchBody.count < 36 { batchBody += [UInt8](repeating: 0, count: 36 - batchBody.count) }
      let crc = batchBody.withUnsafeBytes { CRC32C.checksum($0) }
      let length = UInt32(batchBody.count)
      out += (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
      out += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
      out += batchBody
    }
    return out
  }
}
