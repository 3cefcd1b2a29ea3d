/// A record of a text file that does not fit the schema: where it is, why, and its text,
/// for the product's dead-letter topic. Rejecting a record never stops a file.
public struct RejectedRecord: Sendable, Equatable {
  public var line: Int
  /// The 1-based byte column of the value at fault (of the record when none is).
  public var column: Int
  public var field: String?
  public var reason: String
  public var text: [UInt8]

  public init(line: Int, column: Int, field: String?, reason: String, text: [UInt8]) {
    self.line = line
    self.column = column
    self.field = field
    self.reason = reason
    self.text = text
  }

  public var description: String {
    "line \(line), column \(column): \(field.map { "field \($0): " } ?? "")\(reason)"
  }
}
