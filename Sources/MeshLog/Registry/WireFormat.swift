/// The framing Kafka's Avro serializers put around a typed value, so the bytes are the
/// ones Kafka tooling expects:
///
/// | offset | size | field     |                                      |
/// |-------:|-----:|-----------|--------------------------------------|
/// |      0 |    1 | magic     | 0                                    |
/// |      1 |    4 | schema id | UInt32, big-endian, registry id      |
/// |      5 |    … | payload   | the value in Avro's binary encoding  |
public enum WireFormat {
  public static func frame(schemaID: Int, payload: [UInt8]) -> [UInt8] {
    let id = UInt32(truncatingIfNeeded: schemaID)
    return [0, UInt8(id >> 24), UInt8((id >> 16) & 0xFF), UInt8((id >> 8) & 0xFF), UInt8(id & 0xFF)] + payload
  }

  /// The schema id and payload, or nil when the bytes are not framed.
  public static func unframe(_ bytes: [UInt8]) -> (schemaID: Int, payload: [UInt8])? {
    guard bytes.count >= 5, bytes[0] == 0 else { return nil }
    let id = Int(bytes[1]) << 24 | Int(bytes[2]) << 16 | Int(bytes[3]) << 8 | Int(bytes[4])
    return (id, Array(bytes[5...]))
  }
}
