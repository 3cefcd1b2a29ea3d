public import MeshData

/// The type of an expression's value: a column type and whether it may be null.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
  public var type: DataType
  public var nullable: Bool

  public init(_ type: DataType, nullable: Bool = false) {
    self.type = type
    self.nullable = nullable
  }

  public static let boolean = ValueType(.boolean)
  public static let string = ValueType(.string)
  public static let int64 = ValueType(.int64)
  public static let float64 = ValueType(.float64)
  public static let null = ValueType(.null, nullable: true)

  public func orNull(_ nullable: Bool) -> ValueType { ValueType(type, nullable: self.nullable || nullable) }

  public var description: String { nullable ? "\(type)?" : "\(type)" }
}
