/// A field found by position at plan time: `path` indexes into the record and any nested
/// records (`customer.address.city` is three indices); `names` is kept for printing and
/// lineage only.
public struct FieldReference: Hashable, Sendable, CustomStringConvertible {
  public var path: [Int]
  public var names: [String]

  public init(path: [Int], names: [String]) {
    self.path = path
    self.names = names
  }

  public var description: String { names.joined(separator: ".") }
}
