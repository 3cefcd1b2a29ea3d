/// One node of a Parquet schema as the footer lists it: depth first, groups with
/// their number of children, leaves with their physical type.
public struct SchemaElement: Sendable, Hashable {
  public var name: String
  public var type: PhysicalType?
  public var typeLength: Int?
  public var repetition: Repetition?
  public var childCount: Int?
  public var convertedType: ConvertedType?
  public var scale: Int?
  public var precision: Int?
  public var fieldID: Int32?
  public var logicalType: ParquetLogicalType?

  public init(
    name: String, type: PhysicalType? = nil, typeLength: Int? = nil, repetition: Repetition? = nil,
    childCount: Int? = nil, convertedType: ConvertedType? = nil, scale: Int? = nil, precision: Int? = nil,
    logicalType: ParquetLogicalType? = nil
  ) {
    self.name = name
    self.type = type
    self.typeLength = typeLength
    self.repetition = repetition
    self.childCount = childCount
    self.convertedType = convertedType
    self.scale = scale
    self.precision = precision
    self.logicalType = logicalType
  }

  init(thrift: ThriftStruct) throws(FormatError) {
    name = try thrift.string(4, "a schema element's name")
    let what = "schema element \(name)"
    // A type this reader does not know is kept as nil here and named when its column is read.
    type = try thrift.optionalInteger(1, "\(what)'s type").map { raw throws(FormatError) in
      guard let known = Int32(exactly: raw).flatMap(PhysicalType.init(rawValue:)) else {
        throw FormatError("\(what) has physical type \(raw), which is not a Parquet type")
      }
      return known
    }
    typeLength = try thrift.optionalInteger(2, "\(what)'s type_length").map { Int(clamping: $0) }
    repetition = try thrift.optionalEnumeration(3, "\(what)'s repetition_type", as: Repetition.self)
    childCount = try thrift.optionalInteger(5, "\(what)'s num_children").map { Int(clamping: $0) }
    // Unknown converted types are ignored: the logical type or the physical type still reads.
    convertedType = try thrift.optionalInteger(6, "\(what)'s converted_type").flatMap {
      Int32(exactly: $0).flatMap(ConvertedType.init(rawValue:))
    }
    scale = try thrift.optionalInteger(7, "\(what)'s scale").map { Int(clamping: $0) }
    precision = try thrift.optionalInteger(8, "\(what)'s precision").map { Int(clamping: $0) }
    fieldID = try thrift.optionalInteger(9, "\(what)'s field_id").flatMap { Int32(exactly: $0) }
    logicalType = try thrift.optionalStruct(10, "\(what)'s logicalType").map { nested throws(FormatError) in
      try ParquetLogicalType(thrift: nested)
    }
  }

  var thrift: ThriftStruct {
    var result = ThriftStruct()
    result.set(1, type.map { .i32($0.rawValue) })
    result.set(2, typeLength.map { .i32(Int32(clamping: $0)) })
    result.set(3, repetition.map { .i32($0.rawValue) })
    result.set(4, .string(name))
    result.set(5, childCount.map { .i32(Int32(clamping: $0)) })
    result.set(6, convertedType.map { .i32($0.rawValue) })
    result.set(7, scale.map { .i32(Int32(clamping: $0)) })
    result.set(8, precision.map { .i32(Int32(clamping: $0)) })
    result.set(9, fieldID.map { .i32($0) })
    result.set(10, logicalType.map { .structure($0.thrift) })
    return result
  }
}
