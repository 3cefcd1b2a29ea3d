/// Typed access to the fields of a Thrift struct read from outside bytes: a missing
/// required field or a field of the wrong type is an error that names the struct and field.
extension ThriftStruct {
  func integer(_ id: Int16, _ name: String) throws(FormatError) -> Int64 {
    guard let value = self[id] else { throw FormatError("\(name) is missing") }
    guard let number = value.integer else { throw FormatError("\(name) is not an integer") }
    return number
  }

  func optionalInteger(_ id: Int16, _ name: String) throws(FormatError) -> Int64? {
    guard let value = self[id] else { return nil }
    guard let number = value.integer else { throw FormatError("\(name) is not an integer") }
    return number
  }

  /// An integer that counts or sizes something: it must fit an Int32 and not be negative.
  func count(_ id: Int16, _ name: String) throws(FormatError) -> Int {
    let number = try integer(id, name)
    guard number >= 0, number <= Int64(Int32.max) else { throw FormatError("\(name) \(number) is out of range") }
    return Int(number)
  }

  func optionalBool(_ id: Int16, _ name: String) throws(FormatError) -> Bool? {
    guard let value = self[id] else { return nil }
    guard case .bool(let flag) = value else { throw FormatError("\(name) is not a boolean") }
    return flag
  }

  func optionalBinary(_ id: Int16, _ name: String) throws(FormatError) -> [UInt8]? {
    guard let value = self[id] else { return nil }
    guard case .binary(let bytes) = value else { throw FormatError("\(name) is not binary") }
    return bytes
  }

  func string(_ id: Int16, _ name: String) throws(FormatError) -> String {
    guard let bytes = try optionalBinary(id, name) else { throw FormatError("\(name) is missing") }
    return String(decoding: bytes, as: UTF8.self)
  }

  func optionalStruct(_ id: Int16, _ name: String) throws(FormatError) -> ThriftStruct? {
    guard let value = self[id] else { return nil }
    guard case .structure(let nested) = value else { throw FormatError("\(name) is not a struct") }
    return nested
  }

  func list(_ id: Int16, _ name: String) throws(FormatError) -> [ThriftValue]? {
    guard let value = self[id] else { return nil }
    guard case .list(_, let items) = value else { throw FormatError("\(name) is not a list") }
    return items
  }

  func structs(_ id: Int16, _ name: String) throws(FormatError) -> [ThriftStruct]? {
    guard let items = try list(id, name) else { return nil }
    var structs: [ThriftStruct] = []
    structs.reserveCapacity(items.count)
    for item in items {
      guard case .structure(let nested) = item else { throw FormatError("\(name) holds a value that is not a struct") }
      structs.append(nested)
    }
    return structs
  }

  /// The id of the one field a Thrift union sets.
  var unionCase: Int16? { fields.first?.id }
}

extension ThriftValue {
  static func list(_ structs: [ThriftStruct]) -> ThriftValue { .list(.structure, structs.map { .structure($0) }) }
  static func string(_ text: String) -> ThriftValue { .binary(Array(text.utf8)) }
  static let empty = ThriftValue.structure(ThriftStruct())
}
