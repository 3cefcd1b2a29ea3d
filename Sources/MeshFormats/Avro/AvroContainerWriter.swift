import MeshBytes
public import MeshData
public import MeshSchema

/// Writes an Avro object container file block by block. Output accumulates until the
/// caller takes it (`takeOutput`), so memory stays bounded by one block, whatever the
/// file's size. The sync marker comes from the schema's fingerprint: the same records
/// give the same bytes, which makes outputs reproducible.
public final class AvroContainerWriter {
  private let encoder: BatchEncoder
  private let codec: Codec
  private let blockBytes: Int
  private let sync: [UInt8]
  private var block = ByteWriter(capacity: 64 * 1024)
  private var blockRecords = 0
  private var output = ByteWriter(capacity: 64 * 1024)
  public private(set) var recordCount = 0

  /// `blockBytes` is the uncompressed size at which a block is closed.
  public init(
    schema: Schema, codec: Codec = .none, blockBytes: Int = 256 * 1024, metadata: [String: [UInt8]] = [:]
  ) throws(FormatError) {
    guard let encoder = BatchEncoder(schema) else { throw FormatError("an Avro container's schema must be a record") }
    guard let codecName = AvroContainer.name(of: codec) else {
      throw FormatError("Avro containers do not take \(codec.rawValue); use null, deflate, snappy or zstandard")
    }
    self.encoder = encoder
    self.codec = codec
    self.blockBytes = max(1, blockBytes)
    var state = schema.fingerprint
    sync = (0..<2).flatMap { _ -> [UInt8] in
      state = state &+ 0x9E37_79B9_7F4A_7C15
      var mixed = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
      mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
      mixed ^= mixed >> 31
      return (0..<8).map { UInt8(truncatingIfNeeded: mixed >> ($0 * 8)) }
    }
    output.write(AvroContainer.magic)
    var entries = metadata
    entries[AvroContainer.schemaKey] = Array(schema.jsonText.utf8)
    entries[AvroContainer.codecKey] = Array(codecName.utf8)
    output.writeZigZag(Int64(entries.count))
    for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
      output.writeZigZag(Int64(key.utf8.count))
      output.write(key.utf8)
      output.writeZigZag(Int64(value.count))
      output.write(value)
    }
    output.writeZigZag(0)
    output.write(sync)
  }

  /// Appends the batch's selected records.
  public func write(_ batch: RecordBatch) throws(FormatError) {
    do {
      try encoder.encode(batch) { _, bytes in
        block.write(bytes)
        blockRecords += 1
        recordCount += 1
        if block.count >= blockBytes { try closeBlock() }
      }
    } catch let error as FormatError {
      throw error
    } catch {
      throw FormatError("a record cannot be written as Avro: \(error)")
    }
  }

  /// Writes the last block; the file is complete once its output is taken.
  public func finish() throws(FormatError) { try closeBlock() }

  /// The bytes written since the last call, for the caller to append to the file.
  public func takeOutput() -> [UInt8] {
    defer { output.removeAll() }
    return output.bytes
  }

  private func closeBlock() throws(FormatError) {
    guard blockRecords > 0 else { return }
    let data: [UInt8]
    do {
      data = try codec.compress(block.bytes)
    } catch {
      throw FormatError("an Avro block cannot be compressed: \(error)")
    }
    output.writeZigZag(Int64(blockRecords))
    if codec == .snappy {
      // Avro's snappy blocks end with the CRC-32 of the uncompressed data.
      output.writeZigZag(Int64(data.count + 4))
      output.write(data)
      output.writeBigEndian(block.bytes.withUnsafeBytes { CRC32.of($0) })
    } else {
      output.writeZigZag(Int64(data.count))
      output.write(data)
    }
    output.write(sync)
    block.removeAll()
    blockRecords = 0
  }
}
