import MeshBytes

/// The layout of `.index` and `.timeindex` files. Both are derived data: a missing or
/// damaged index is rebuilt from its `.log`, so they are synced only when a segment is
/// sealed (rolled or closed cleanly).
///
/// All integers little-endian. NEVER REORDER OR RESIZE FIELDS; a new layout gets a new
/// version.
///
/// Header (40 bytes):
///
/// | offset | size | field        | meaning                                                       |
/// |-------:|-----:|--------------|---------------------------------------------------------------|
/// |      0 |    4 | magic        | `MXOI` (offset index) or `MXTI` (time index)                  |
/// |      4 |    1 | version      | 1                                                             |
/// |      5 |    1 | flags        | bit 0: sealed — the fields below are valid and the file is whole |
/// |      6 |    2 | entrySize    | UInt16: 8 (offset index) or 12 (time index)                   |
/// |      8 |    8 | logBytes     | Int64: size of the `.log` file this index describes           |
/// |     16 |    8 | nextOffset   | Int64: offset after the segment's last record                 |
/// |     24 |    8 | maxTimestamp | Int64: largest record timestamp in the segment (Int64.min if none) |
/// |     32 |    4 | entryCount   | UInt32                                                        |
/// |     36 |    4 | crc          | UInt32: CRC-32C of bytes 0..<36 followed by all entries       |
///
/// Offset index entry (8 bytes): `relativeOffset` UInt32 (batch base offset − segment base
/// offset), `position` UInt32 (byte position of that batch in the `.log`). One entry at
/// most every `indexIntervalBytes` (4 KiB) of log; the first batch (position 0) needs none.
///
/// Time index entry (12 bytes): `timestamp` Int64, `relativeOffset` UInt32: every record
/// of the segment before that offset has a timestamp ≤ `timestamp`. Written beside each
/// offset index entry, so both share their relative offsets.
///
/// An unsealed file (the active segment's) has flags 0 and entries appended as the
/// segment grows; it is verified against the log before use.
enum IndexFile {
  static let headerSize = 40
  static let version: UInt8 = 1
  static let offsetMagic: [UInt8] = Array("MXOI".utf8)
  static let timeMagic: [UInt8] = Array("MXTI".utf8)
  static let offsetEntrySize = 8
  static let timeEntrySize = 12

  enum Kind {
    case offset, time

    var magic: [UInt8] { self == .offset ? IndexFile.offsetMagic : IndexFile.timeMagic }
    var entrySize: Int { self == .offset ? IndexFile.offsetEntrySize : IndexFile.timeEntrySize }
  }

  /// What a sealed header promises about its segment.
  struct Seal: Hashable, Sendable {
    var logBytes: Int64
    var nextOffset: Offset
    var maxTimestamp: Int64
    var entryCount: Int
  }

  /// The header of an unsealed file.
  static func openHeader(_ kind: Kind) -> [UInt8] {
    var writer = ByteWriter(capacity: headerSize)
    writer.write(kind.magic)
    writer.write(version)
    writer.write(UInt8(0))
    writer.writeLittleEndian(UInt16(kind.entrySize))
    for _ in 0..<32 { writer.write(UInt8(0)) }
    return writer.bytes
  }

  /// A whole sealed file: header and entries.
  static func sealed(_ kind: Kind, seal: Seal, entries: [UInt8]) -> [UInt8] {
    var writer = ByteWriter(capacity: headerSize + entries.count)
    writer.write(kind.magic)
    writer.write(version)
    writer.write(UInt8(1))
    writer.writeLittleEndian(UInt16(kind.entrySize))
    writer.writeLittleEndian(seal.logBytes)
    writer.writeLittleEndian(seal.nextOffset.value)
    writer.writeLittleEndian(seal.maxTimestamp)
    writer.writeLittleEndian(UInt32(seal.entryCount))
    var crc = CRC32C.checksum(writer.bytes)
    crc = CRC32C.checksum(entries, continuing: crc)
    writer.writeLittleEndian(crc)
    writer.write(entries)
    return writer.bytes
  }

  /// Reads and checks a sealed file's header; nil when the file is missing, unsealed,
  /// damaged or does not match `logBytes`. Reads the entries to check the checksum.
  static func readSeal(_ kind: Kind, io: any FileIO, path: String, logBytes: Int64) -> Seal? {
    guard io.kind(of: path) == .file, let handle = try? io.open(path, .readOnly) else { return nil }
    defer { io.close(handle) }
    guard let size = try? io.size(handle), size >= Int64(headerSize), size <= Int64(Int32.max) else { return nil }
    var bytes = [UInt8](repeating: 0, count: Int(size))
    let count = bytes.withUnsafeMutableBytes { buffer in (try? io.readFully(handle, into: buffer, at: 0)) ?? 0 }
    guard count == bytes.count else { return nil }
    var reader = ByteReader(bytes)
    guard let magic = try? reader.readBytes(4), Array(magic) == kind.magic,
      let fileVersion = try? reader.readByte(), fileVersion == version,
      let flags = try? reader.readByte(), flags & 1 == 1,
      let entrySize = try? reader.readLittleEndian(UInt16.self), Int(entrySize) == kind.entrySize,
      let sealedLogBytes = try? reader.readLittleEndian(Int64.self), sealedLogBytes == logBytes,
      let nextOffset = try? reader.readLittleEndian(Int64.self),
      let maxTimestamp = try? reader.readLittleEndian(Int64.self),
      let entryCount = try? reader.readLittleEndian(UInt32.self),
      let storedCRC = try? reader.readLittleEndian(UInt32.self),
      bytes.count == headerSize + Int(entryCount) * kind.entrySize
    else { return nil }
    var crc = CRC32C.checksum(bytes[0..<36])
    crc = CRC32C.checksum(bytes[headerSize...], continuing: crc)
    guard crc == storedCRC else { return nil }
    return Seal(
      logBytes: sealedLogBytes, nextOffset: Offset(nextOffset), maxTimestamp: maxTimestamp,
      entryCount: Int(entryCount))
  }

  /// The entries of an unsealed (or any) file with a valid header, as raw bytes; nil
  /// when the header is wrong. A torn last entry is dropped.
  static func readEntries(_ kind: Kind, io: any FileIO, path: String, limit: Int) -> [UInt8]? {
    guard io.kind(of: path) == .file, let handle = try? io.open(path, .readOnly) else { return nil }
    defer { io.close(handle) }
    guard let size = try? io.size(handle), size >= Int64(headerSize) else { return nil }
    let available = Int(min(size, Int64(limit))) - headerSize
    let usable = max(0, available) / kind.entrySize * kind.entrySize
    var bytes = [UInt8](repeating: 0, count: headerSize + usable)
    let count = bytes.withUnsafeMutableBytes { buffer in (try? io.readFully(handle, into: buffer, at: 0)) ?? 0 }
    guard count == bytes.count, Array(bytes[0..<4]) == kind.magic, bytes[4] == version,
      Int(bytes[6]) | Int(bytes[7]) << 8 == kind.entrySize
    else { return nil }
    return Array(bytes[headerSize...])
  }
}
