/// A value of an Avro type, as the binary and JSON encodings carry it. Records hold
/// their fields in schema order; unions carry the index of their branch.
public indirect enum AvroValue: Sendable, Hashable {
  case null
  case boolean(Bool)
  case int(Int32)
  case long(Int64)
  case float(Float)
  case double(Double)
  case bytes([UInt8])
  case string(String)
  case record([AvroValue])
  case enumeration(index: Int, symbol: String)
  case array([AvroValue])
  case map([MapEntry])
  case fixed([UInt8])
  case union(branch: Int, value: AvroValue)

  public struct MapEntry: Sendable, Hashable {
    public var key: String
    public var value: AvroValue

    public init(key: String, value: AvroValue) {
      self.key = key
      self.value = value
    }
  }
}

/// Why a value could not be encoded, decoded or resolved; `path` locates the part
/// (`Order.items[3].price`).
public struct AvroValueError: Error, Sendable, Hashable, CustomStringConvertible {
  public var path: String
  public var message: String

  public init(_ message: String, at path: String) {
    self.path = path
    self.message = message
  }

  public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
