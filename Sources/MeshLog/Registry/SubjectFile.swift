import MeshBytes
import MeshSchema

/// A subject's versions and compatibility mode: `schemas/subjects/<subject>.subject`,
/// replaced atomically and durably on every change.
///
/// Layout (little-endian; NEVER REORDER FIELDS):
///
/// | offset | size | field    | meaning                                                        |
/// |-------:|-----:|----------|----------------------------------------------------------------|
/// |      0 |    4 | magic    | `MXSR`                                                         |
/// |      4 |    1 | version  | 1                                                              |
/// |      5 |    1 | mode     | 0: the default (BACKWARD); 1…7: `CompatibilityMode.allCases[mode − 1]` |
/// |      6 |    2 | reserved | 0                                                              |
/// |      8 |    4 | count    | UInt32: number of versions                                     |
/// |     12 |  4·n | ids      | UInt32 schema id of version 1, 2, … n                          |
/// |  end−4 |    4 | crc      | CRC-32C of every byte before it                                |
struct SubjectFile: Equatable {
  static let magic: [UInt8] = Array("MXSR".utf8)
  static let formatVersion: UInt8 = 1
  static let fileExtension = ".subject"

  var mode: CompatibilityMode?
  var ids: [Int]

  func encode() -> [UInt8] {
    var writer = ByteWriter(capacity: 16 + 4 * ids.count)
    writer.write(Self.magic)
    writer.write(Self.formatVersion)
    writer.write(mode.flatMap { mode in CompatibilityMode.allCases.firstIndex(of: mode).map { UInt8($0 + 1) } } ?? 0)
    writer.write([0, 0] as [UInt8])
    writer.writeLittleEndian(UInt32(ids.count))
    for id in ids { writer.writeLittleEndian(UInt32(id)) }
    writer.writeLittleEndian(CRC32C.checksum(writer.bytes))
    return writer.bytes
  }

  /// Nil when the bytes are damaged (wrong magic, version, length or checksum).
  static func decode(_ bytes: [UInt8]) -> SubjectFile? {
    guard bytes.count >= 16, Array(bytes[0..<4]) == magic, bytes[4] == formatVersion else { return nil }
    let modeByte = Int(bytes[5])
    guard modeByte <= CompatibilityMode.allCases.count else { return nil }
    var reader = ByteReader(bytes)
    do {
      try reader.skip(8)
      let count = Int(try reader.readLittleEndian(UInt32.self))
      guard bytes.count == 16 + 4 * count else { return nil }
      var ids: [Int] = []
      for _ in 0..<count { ids.append(Int(try reader.readLittleEndian(UInt32.self))) }
      let crc = try reader.readLittleEndian(UInt32.self)
      guard CRC32C.checksum(bytes[0..<(bytes.count - 4)]) == crc else { return nil }
      return SubjectFile(mode: modeByte == 0 ? nil : CompatibilityMode.allCases[modeByte - 1], ids: ids)
    } catch {
      return nil
    }
  }
}
