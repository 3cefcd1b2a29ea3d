/// Avro 1.11 object container files: `Obj\u{1}`, a metadata map (the writer's schema
/// as JSON, the codec), a 16-byte sync marker, then blocks of records, each followed by
/// the marker.
public enum AvroContainer {
  static let magic: [UInt8] = [0x4F, 0x62, 0x6A, 0x01]
  static let syncSize = 16
  static let schemaKey = "avro.schema"
  static let codecKey = "avro.codec"

  /// The codecs a container may name, by the names the specification gives them.
  public static let codecs: [String: Codec] = [
    "null": .none, "deflate": .deflate, "snappy": .snappy, "zstandard": .zstd,
  ]

  static func name(of codec: Codec) -> String? { codecs.first { $0.value == codec }?.key }
}
