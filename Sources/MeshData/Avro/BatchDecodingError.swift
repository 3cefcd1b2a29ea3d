/// Why bytes could not be read into a batch. The decoder adds the record's position and
/// the field's path.
public enum BatchDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
  case truncated
  case invalid(String)
  case located(record: Int, field: String, reason: String)

  public var description: String {
    switch self {
    case .truncated: "the record ends early"
    case .invalid(let reason): reason
    case .located(let record, let field, let reason):
      field.isEmpty ? "record \(record): \(reason)" : "record \(record), field '\(field)': \(reason)"
    }
  }
}
