import MeshBytes
public import MeshData
import MeshDiagnostics
public import MeshSchema

/// Reads an Avro object container file one block at a time, each block into one batch.
/// Given a reader's schema, records are resolved from the writer's schema (the one in
/// the file's header) by Avro's rules; otherwise they keep the writer's. The file's bytes
/// may come in pieces (`init(pieces:)`): only what the block being read needs is held,
/// so memory does not grow with the file.
public final class AvroContainerReader {
  public let writerSchema: Schema
  public let readerSchema: Schema
  /// The columns of the batches.
  public let schema: RecordSchema
  public let codec: Codec
  /// The header's metadata, `avro.schema` and `avro.codec` included.
  public let metadata: [String: [UInt8]]
  private var reader: ByteReader
  /// The file's next piece (nil at its end), and how many bytes before `reader`'s.
  private let nextPiece: () throws(FormatError) -> [UInt8]?
  private var exhausted = false
  private var consumed = 0
  private let sync: [UInt8]
  private let decoder: BatchDecoder
  private let resolver: AvroResolver?
  public private(set) var blockIndex = 0

  public convenience init(bytes: [UInt8], readerSchema: Schema? = nil) throws(FormatError) {
    var given: [UInt8]? = bytes
    try self.init(
      pieces: { () throws(FormatError) in
        defer { given = nil }
        return given
      }, readerSchema: readerSchema)
  }

  public init(pieces: @escaping () throws(FormatError) -> [UInt8]?, readerSchema: Schema? = nil) throws(FormatError) {
    nextPiece = pieces
    var buffered: [UInt8] = []
    var header: (metadata: [String: [UInt8]], sync: [UInt8], reader: ByteReader)?
    // The header, read again with more of the file until it fits (its metadata may be
    // longer than a piece).
    while header == nil {
      var reader = ByteReader(buffered)
      if buffered.count >= 4, !buffered.prefix(4).elementsEqual(AvroContainer.magic) {
        throw FormatError("not an Avro container file (it does not start with Obj\\x01)")
      }
      do {
        try reader.seek(to: min(4, buffered.count))
        guard buffered.count >= 4 else { throw ByteReaderError.truncated(offset: buffered.count, needed: 4) }
        let metadata = try Self.readMetadata(&reader)
        header = (metadata, Array(try reader.readBytes(AvroContainer.syncSize)), reader)
      } catch {
        // Short of bytes (or a length past them): more of the file, if there is more.
        guard let piece = try pieces(), !piece.isEmpty else {
          if let error = error as? FormatError { throw error }
          throw FormatError("the Avro container's header ends early, at byte \(reader.offset)")
        }
        buffered += piece
      }
    }
    guard let header else { throw FormatError("the Avro container's header ends early") }
    (metadata, sync, reader) = header
    guard let schemaBytes = metadata[AvroContainer.schemaKey] else {
      throw FormatError("the Avro container's header has no avro.schema")
    }
    let (parsed, diagnostics) = Schema.parse(SourceFile(path: "avro.schema", bytes: schemaBytes))
    guard let parsed else {
      let first = diagnostics.all.first.map { $0.message } ?? "it cannot be read"
      throw FormatError("the Avro container's schema is not valid: \(first)")
    }
    writerSchema = parsed
    let codecName = metadata[AvroContainer.codecKey].map { String(decoding: $0, as: UTF8.self) } ?? "null"
    guard let codec = AvroContainer.codecs[codecName] else {
      throw FormatError("the Avro container uses the codec '\(codecName)', which meshc does not read")
    }
    self.codec = codec
    let target = readerSchema ?? parsed
    self.readerSchema = target
    guard let decoder = BatchDecoder(target) else { throw FormatError("an Avro container's schema must be a record") }
    self.decoder = decoder
    schema = decoder.schema
    resolver = target.canonicalForm == parsed.canonicalForm ? nil : AvroResolver(writer: parsed, reader: target)
  }

  /// Makes `count` bytes past the reader's position available, if the file has them:
  /// the bytes read so far are let go, the next pieces appended.
  private func fill(_ count: Int) throws(FormatError) {
    while reader.remaining < count, !exhausted {
      guard let piece = try nextPiece(), !piece.isEmpty else {
        exhausted = true
        return
      }
      consumed += reader.offset
      reader = ByteReader(Array(reader.bytes[reader.offset..<reader.end]) + piece)
    }
  }

  private static func readMetadata(_ reader: inout ByteReader) throws -> [String: [UInt8]] {
    var entries: [String: [UInt8]] = [:]
    while true {
      var count = try reader.readZigZag()
      if count == 0 { return entries }
      if count < 0 {
        // A negative count is followed by the block's size in bytes.
        count = 0 - max(count, -Int64(Int32.max))
        _ = try reader.readZigZag()
      }
      guard count <= Int64(reader.remaining) else { throw FormatError("the Avro header's metadata count is too large") }
      for _ in 0..<count {
        let key = String(decoding: try reader.readBytes(try length(&reader)), as: UTF8.self)
        entries[key] = Array(try reader.readBytes(try length(&reader)))
      }
    }
  }

  private static func length(_ reader: inout ByteReader) throws -> Int {
    let value = try reader.readZigZag()
    guard value >= 0, value <= Int64(reader.remaining) else {
      throw FormatError("a length of \(value) bytes at byte \(reader.offset) runs past the end of the file")
    }
    return Int(value)
  }

  /// The next block's records, or nil at the end of the file.
  public func nextBatch() throws(FormatError) -> RecordBatch? {
    // A block starts with two varints of at most ten bytes each.
    try fill(20)
    guard !reader.isAtEnd else { return nil }
    let start = consumed + reader.offset
    let (count, data): (Int, [UInt8])
    do {
      (count, data) = try readBlock()
    } catch let error as FormatError {
      throw FormatError("block \(blockIndex) at byte \(start): \(error.message)")
    } catch {
      throw FormatError("block \(blockIndex) at byte \(start) ends early: the file is truncated")
    }
    defer { blockIndex += 1 }
    do {
      if let resolver {
        try resolve(data, count: count, with: resolver)
      } else {
        let decoder = decoder
        let result = data.withUnsafeBytes { raw in
          Result { () throws(BatchDecodingError) in try decoder.append(concatenated: raw, count: count) }
        }
        try result.get()
      }
    } catch {
      _ = decoder.finish()
      throw FormatError("block \(blockIndex) at byte \(start): \(error)")
    }
    return decoder.finish()
  }

  private func readBlock() throws -> (Int, [UInt8]) {
    let count = try reader.readZigZag()
    let declared = try reader.readZigZag()
    guard declared >= 0, declared <= Int64(Int32.max) else {
      throw FormatError("a block size of \(declared) bytes is not one a block can have")
    }
    let size = Int(declared)
    try fill(size + AvroContainer.syncSize)
    guard size <= reader.remaining else {
      throw FormatError("a block of \(size) bytes runs past the end of the file")
    }
    let stored = try reader.readBytes(size)
    guard try reader.readBytes(AvroContainer.syncSize).elementsEqual(sync) else {
      throw FormatError("the block does not end with the file's sync marker")
    }
    var data: [UInt8]
    if codec == .snappy {
      guard stored.count >= 4 else { throw FormatError("a snappy block is shorter than its checksum") }
      data = try codec.decompress(stored.dropLast(4), size: nil)
      var checksum = ByteReader(Array(stored.suffix(4)))
      guard try checksum.readBigEndian(UInt32.self) == data.withUnsafeBytes({ CRC32.of($0) }) else {
        throw FormatError("the snappy block's CRC-32 does not match its data")
      }
    } else {
      data = try codec.decompress(stored, size: nil)
    }
    // Records of an all-null schema take no bytes, so the count is bounded, not derived.
    guard count >= 0, count <= Int64(max(data.count, 1 << 16)) else {
      throw FormatError("a count of \(count) records does not fit the block's \(data.count) bytes")
    }
    return (Int(count), data)
  }

  private func resolve(_ data: [UInt8], count: Int, with resolver: AvroResolver) throws {
    var input = ByteReader(data)
    let writing = AvroBinary(writerSchema)
    let reading = AvroBinary(readerSchema)
    for _ in 0..<count {
      let value = try resolver.resolve(try writing.decode(writerSchema.root, from: &input))
      var output = ByteWriter()
      try reading.encode(value, as: readerSchema.root, into: &output)
      try decoder.append(output.bytes)
    }
    guard input.isAtEnd else { throw FormatError("\(input.remaining) bytes are left after the block's records") }
  }
}
