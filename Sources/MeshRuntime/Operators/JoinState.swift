import MeshBytes

/// The pieces the join operators' checkpointed states are made of: a version first, then
/// varints, zig-zag times, and byte strings with their length before them (an optional one
/// behind a 0/1 flag).
enum JoinState {
  /// A reader past the version, which must be `version`.
  static func reader(_ state: [UInt8], version: UInt64, step: String) throws(RunFailure) -> ByteReader {
    var reader = ByteReader(state)
    guard (try? reader.readVarint()) == version else {
      throw RunFailure("step \(step): its checkpointed state is of an unknown version")
    }
    return reader
  }

  static func damaged(_ error: ByteReaderError, step: String) -> RunFailure {
    RunFailure("step \(step): its checkpointed state is damaged (\(error))")
  }

  static func write(_ bytes: [UInt8], to out: inout ByteWriter) {
    out.writeVarint(UInt64(bytes.count))
    out.write(bytes)
  }

  static func write(optional bytes: [UInt8]?, to out: inout ByteWriter) {
    guard let bytes else { return out.writeVarint(0) }
    out.writeVarint(1)
    write(bytes, to: &out)
  }

  static func read(_ reader: inout ByteReader) throws(ByteReaderError) -> [UInt8] {
    Array(try reader.readBytes(Int(clamping: try reader.readVarint())))
  }

  static func readOptional(_ reader: inout ByteReader) throws(ByteReaderError) -> [UInt8]? {
    try reader.readVarint() == 0 ? nil : try read(&reader)
  }
}
