/// A value of Thrift's compact protocol, read without knowing the struct it belongs to:
/// Parquet's footer and page headers are read into this tree first (generically, with
/// every size checked), then taken apart into typed metadata. Unknown fields are kept,
/// so a newer writer's additions are skipped rather than misread.
public indirect enum ThriftValue: Equatable, Sendable {
  case bool(Bool)
  case byte(Int8)
  case i16(Int16)
  case i32(Int32)
  case i64(Int64)
  case double(Double)
  case binary([UInt8])
  case list(ThriftType, [ThriftValue])
  case set(ThriftType, [ThriftValue])
  case map(key: ThriftType, value: ThriftType, [(ThriftValue, ThriftValue)])
  case structure(ThriftStruct)

  public static func == (lhs: ThriftValue, rhs: ThriftValue) -> Bool {
    switch (lhs, rhs) {
    case (.bool(let a), .bool(let b)): a == b
    case (.byte(let a), .byte(let b)): a == b
    case (.i16(let a), .i16(let b)): a == b
    case (.i32(let a), .i32(let b)): a == b
    case (.i64(let a), .i64(let b)): a == b
    case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
    case (.binary(let a), .binary(let b)): a == b
    case (.list(let t, let a), .list(let u, let b)), (.set(let t, let a), .set(let u, let b)): t == u && a == b
    // An empty map's types are not on the wire: every empty map is the same.
    case (.map(_, _, let a), .map(_, _, let b)) where a.isEmpty && b.isEmpty: true
    case (.map(let k, let v, let a), .map(let l, let w, let b)):
      k == l && v == w && a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    case (.structure(let a), .structure(let b)): a == b
    default: false
    }
  }

  public var type: ThriftType {
    switch self {
    case .bool: .bool
    case .byte: .byte
    case .i16: .i16
    case .i32: .i32
    case .i64: .i64
    case .double: .double
    case .binary: .binary
    case .list: .list
    case .set: .set
    case .map: .map
    case .structure: .structure
    }
  }

  /// The value as an integer, whatever its width.
  public var integer: Int64? {
    switch self {
    case .byte(let value): Int64(value)
    case .i16(let value): Int64(value)
    case .i32(let value): Int64(value)
    case .i64(let value): value
    default: nil
    }
  }
}

/// A struct's fields by id, in the order they were written.
public struct ThriftStruct: Equatable, Sendable {
  public var fields: [(id: Int16, value: ThriftValue)]

  public init(_ fields: [(id: Int16, value: ThriftValue)] = []) { self.fields = fields }

  public subscript(id: Int16) -> ThriftValue? { fields.first { $0.id == id }?.value }

  public mutating func set(_ id: Int16, _ value: ThriftValue?) {
    guard let value else { return }
    fields.append((id, value))
  }

  public static func == (lhs: ThriftStruct, rhs: ThriftStruct) -> Bool {
    lhs.fields.count == rhs.fields.count
      && zip(lhs.fields, rhs.fields).allSatisfy { $0.id == $1.id && $0.value == $1.value }
  }
}

/// The compact protocol's type codes (its element types in lists, sets and maps).
public enum ThriftType: UInt8, Hashable, Sendable {
  case bool = 1
  case byte = 3
  case i16 = 4
  case i32 = 5
  case i64 = 6
  case double = 7
  case binary = 8
  case list = 9
  case set = 10
  case map = 11
  case structure = 12
}
